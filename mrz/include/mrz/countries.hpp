// Three-letter codes for states, organisations and nationalities in the MRZ (Doc 9303 Part 3 §5).
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace mrz {

enum class CodeKind {
  State,        // ISO 3166-1 alpha-3 state or territory
  Extension,    // Doc 9303 Part 3 extension: D, GBD/GBN/GBO/GBP/GBS, RKS
  Organisation, // EUE, UNO, UNA, UNK and the issuing authorities XBA, XIM, XCC, ...
  Nationality,  // persons without a defined nationality: XXA, XXB, XXC, XXX
  Deprecated,   // codes kept for backward compatibility (ANT, NTZ)
  Specimen,     // UTO (Utopia)
  Icao,         // IAO, used only when ICAO signs a master list
};

struct CountryCode {
  std::string_view code;  // as printed in the MRZ without fillers: "UTO", "D", "GBD"
  std::string_view name;
  CodeKind kind;
};

// Looks a code up; trailing fillers are ignored ("D<<" finds Germany). std::nullopt if unknown.
std::optional<CountryCode> find_country(std::string_view code);

// Every known code, sorted by code.
std::span<const CountryCode> all_country_codes();

}  // namespace mrz
