// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/store.h"

#include <string>
#include <vector>

namespace fplan::gui {

// The "Indstillinger" dialog: who is writing (the author of every edit), the municipality
// (the PDF's title block and the MeMo sender) and when the program locks by itself. Kept in the store as
// `fplan config` keeps them.
class SettingsPresenter {
public:
    explicit SettingsPresenter(Store& store);

    std::string userName;
    std::string municipalityName;
    std::string municipalityCvr;
    std::string lockMinutes; // minutes without use before the program locks; "0": never

    std::vector<std::string> problems() const;
    // Stores the settings in one transaction; Error(BadInput) lists the problems.
    void save();

private:
    Store& m_store;
};

} // namespace fplan::gui
