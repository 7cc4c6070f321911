// Plausible random documents for the second renderer: the MRZ fields (formatted by the `mrz`
// library, so the check digits are right) and the visual-zone text printed above them.
#pragma once

#include <string>
#include <vector>

#include "mrz/mrz.hpp"
#include "rng.hpp"

namespace render2 {

struct RandomDocument {
  mrz::DocumentFields fields;
  std::vector<std::string> mrz_lines;  // exactly as printed, one string per line
  std::string state_name;              // the issuing state as the visual zone names it
  std::string nationality_name;
  std::string place_of_birth;
  std::string authority;
  mrz::Date issue_date;
  std::string visa_type;  // visas: "C", "D", ...
  std::string entries;    // visas: "MULT", "1", "2"
};

RandomDocument random_document(mrz::Format format, Rng& rng);

// "12 AUG 1974", "12.08.1974" or "12/08/1974" (the style is the caller's choice: 0, 1, 2).
std::string viz_date(const mrz::Date& date, int style);

}  // namespace render2
