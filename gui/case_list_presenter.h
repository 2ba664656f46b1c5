// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/store.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fplan::gui {

enum class CaseColumn { Title = 0, JournalNumber = 1, Kle = 2 };
inline constexpr int CaseColumnCount = 3;

// The cases list: search over names, journal number and CPR numbers, sorted by a column.
// The panel is a virtual list that asks for rows by index, so 500 cases cost nothing to show.
class CaseListPresenter {
public:
    void setCases(std::vector<CaseSummary> cases);
    void setQuery(const std::string& query);
    const std::string& query() const { return m_query; }
    // Sorting by the column already sorted by reverses the direction.
    void sortBy(CaseColumn column);
    CaseColumn sortColumn() const { return m_sortColumn; }
    bool ascending() const { return m_ascending; }

    std::size_t rowCount() const { return m_visible.size(); }
    const CaseSummary& row(std::size_t index) const { return m_cases[m_visible[index]]; }
    std::string cell(std::size_t index, CaseColumn column) const;
    static std::string columnLabel(CaseColumn column);
    // Index of a case among the visible rows, or -1.
    long indexOf(const std::string& caseId) const;
    std::string statusText() const;

private:
    void refresh();

    std::vector<CaseSummary> m_cases;
    std::vector<std::size_t> m_visible;
    std::string m_query;
    CaseColumn m_sortColumn = CaseColumn::Title;
    bool m_ascending = true;
};

// Whether a case's search text (a searchKey) matches every word of a query, both folded by
// searchKey: "Sahin" finds "Şahin", "Aagaard" finds "Ågård". A CPR number matches with or
// without its hyphen.
bool caseMatches(const CaseSummary& summary, const std::string& query);
// Lower case (ASCII and Latin-1 letters such as Æ, Ø, Å), nothing else changed.
std::string lowerCaseText(std::string_view text);
// A key that sorts Danish text in Danish order (lower case, æ ø å last).
std::string danishSortKey(const std::string& text);
// Compares sort keys with runs of digits by their value, so "G01-9-26" comes before "G01-10-26".
bool naturalLess(const std::string& a, const std::string& b);

} // namespace fplan::gui
