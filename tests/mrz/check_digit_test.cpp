// Check digits, Doc 9303 Part 3 §4.9 and Appendix A.
#include <doctest/doctest.h>

#include "mrz/mrz.hpp"

TEST_CASE("check digit of a date is the Part 3 Appendix A example 1 result") {
  // Example 1: date 520727 -> check digit 3.
  CHECK(mrz::check_digit("520727") == '3');
}

TEST_CASE("check digit of an alphanumeric document number AB2134<<< is 5 (Part 3 example 2)") {
  CHECK(mrz::check_digit("AB2134<<<") == '5');
}

TEST_CASE("fillers count as zero and letters A-Z as 10-35") {
  CHECK(mrz::check_digit("<<<<<<<<<") == '0');
  CHECK(mrz::check_digit("A") == '0');   // 10*7 = 70
  CHECK(mrz::check_digit("Z") == '5');   // 35*7 = 245
  CHECK(mrz::check_digit("0Z") == '5');  // 35*3 = 105
  CHECK(mrz::check_digit("00Z") == '5');  // 35*1 = 35
}

TEST_CASE("weights repeat 7-3-1 over long data (TD3 composite, Part 3 example 3)") {
  CHECK(mrz::check_digit("HA672242<6" "5802254" "9601086<<<<<<<<<<<<<<0") == '8');
}

TEST_CASE("TD1 composite over upper and middle lines is 2 (Part 3 example 4)") {
  CHECK(mrz::check_digit("D231458907<<<<<<<<<<<<<<<" "3407127" "9507122" "<<<<<<<<<<<") == '2');
}

TEST_CASE("characters outside the MRZ set have no check digit") {
  CHECK_FALSE(mrz::check_digit("AB-12").has_value());
  CHECK_FALSE(mrz::check_digit("ab12").has_value());
  CHECK(mrz::check_digit("") == '0');
}
