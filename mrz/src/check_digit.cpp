// Public check digit function over the shared CheckDigitSum.
#include "check_digit.hpp"

#include "mrz/mrz.hpp"

namespace mrz {

std::optional<char> check_digit(std::string_view data) {
  detail::CheckDigitSum sum;
  sum.add(data);
  if (!sum.valid()) return std::nullopt;
  return sum.digit();
}

}  // namespace mrz
