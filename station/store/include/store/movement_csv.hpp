// Movements as CSV (RFC 4180), one form for the command line's export and the supervisor's page.
#pragma once

#include <string>

#include "store/store.hpp"

namespace borderpost::station {

std::string movement_csv_header();                      // the column names, CRLF-terminated
std::string movement_csv_row(const StoredMovement& m);  // one movement, CRLF-terminated

// One CSV cell (RFC 4180 quoting; a leading =, +, - or @ is neutralised so a spreadsheet never
// runs a cell as a formula).
std::string csv_cell(const std::string& text);

}  // namespace borderpost::station
