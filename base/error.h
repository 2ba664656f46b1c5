// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <stdexcept>
#include <string>

namespace fplan {

// Why an operation failed; decides the CLI exit code and lets the GUI pick a dialog.
enum class ErrorCode {
    BadInput, // the user's input (file, value, bundle) is wrong: exit 2
    Usage, // wrong command-line use: exit 2
    WrongPassphrase, // key does not open the store: exit 1
    NotFound, // a case, document, version or file that is not there: exit 2
    Conflict, // refused because of state (open conflict, store exists): exit 1
    Storage, // the database or file system failed: exit 1
    Crypto, // key derivation or cipher setup failed: exit 1
    Network, // transport failed: exit 1
    Internal, // a bug: exit 1
};

// The one exception type the libraries throw. The message is for a person: it names the file,
// field or record and says what is wrong.
class Error : public std::runtime_error {
public:
    Error(ErrorCode code, const std::string& message)
        : std::runtime_error(message)
        , m_code(code)
    {
    }
    ErrorCode code() const noexcept { return m_code; }

private:
    ErrorCode m_code;
};

// CLI exit code for an error: 2 for bad input or usage, 1 for runtime failures.
int exitCodeFor(ErrorCode code) noexcept;

} // namespace fplan
