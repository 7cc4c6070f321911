// The country and organisation code table and its lookup.
#include "mrz/countries.hpp"

#include <algorithm>
#include <array>

namespace mrz {
namespace {
constexpr CountryCode kCodes[] = {
#include "country_table.inc"
};
}  // namespace

std::optional<CountryCode> find_country(std::string_view code) {
  while (!code.empty() && code.back() == '<') code.remove_suffix(1);
  const auto it = std::lower_bound(std::begin(kCodes), std::end(kCodes), code,
                                   [](const CountryCode& entry, std::string_view key) { return entry.code < key; });
  if (it == std::end(kCodes) || it->code != code) return std::nullopt;
  return *it;
}

std::optional<std::string_view> alpha2_of_issuer(std::string_view issuing_state) {
  const auto found = find_country(issuing_state);
  if (!found || found->alpha2.empty()) return std::nullopt;
  return found->alpha2;
}

std::span<const CountryCode> all_country_codes() { return kCodes; }

}  // namespace mrz
