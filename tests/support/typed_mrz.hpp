// MRZs typed for tests and benchmarks: a made-up traveller's field values and the text mrz::format
// makes of them, so no test hand-writes a check digit.
#pragma once

#include <stdexcept>
#include <string>

#include "mrz/mrz.hpp"

namespace borderpost::test {

// A Colombian TD3 passport of a made-up traveller, as field values for mrz::format.
inline mrz::DocumentFields td3_fields(std::string document_number, mrz::Date birth = {"", 1980, 3, 14},
                                      mrz::Date expiry = {"", 2033, 1, 9}) {
  mrz::DocumentFields f;
  // the document
  f.format = mrz::Format::TD3;
  f.issuing_state = "COL";
  f.document_number = std::move(document_number);
  f.expiry_date = std::move(expiry);
  // its holder
  f.surname = "RAMIREZ";
  f.given_names = "ANA MARIA";
  f.nationality = "COL";
  f.birth_date = std::move(birth);
  f.sex = 'F';
  return f;
}

// The MRZ lines of `fields`, joined by '\n'. Throws std::logic_error when they cannot be printed
// (a mistake in the test, not a finding).
inline std::string typed_mrz(const mrz::DocumentFields& fields) {
  const auto formatted = mrz::format(fields);
  if (!formatted.ok())
    throw std::logic_error("a test's MRZ fields cannot be printed" +
                           (formatted.problems.empty() ? std::string() : ": " + formatted.problems.front().message));
  return formatted.text();
}

// A valid TD3 MRZ, different for every n.
inline std::string typed_td3(int n, int birth_year = 1980) {
  return typed_mrz(td3_fields("AB" + std::to_string(1000000 + n), {"", birth_year, 3, 14}));
}

}  // namespace borderpost::test
