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
  // ISO 3166-1 alpha-2 of the state behind the code ("DE" for both DEU and D, "GB" for GBD, "XK"
  // for RKS, "UT" for the specimen UTO, the withdrawn "AN" and "NT" for ANT and NTZ); empty for
  // organisations, IAO and the nationality codes XX*.
  std::string_view alpha2;
};

// Looks a code up; trailing fillers are ignored ("D<<" finds Germany). std::nullopt if unknown.
std::optional<CountryCode> find_country(std::string_view code);

// The ISO 3166-1 alpha-2 code of the state that issues documents under an MRZ issuing-state code
// ("D<<" gives "DE", "GBN" gives "GB"); std::nullopt if the code is unknown or names no state.
// It is for checking that a Document Signer certificate's C= (alpha-2, Doc 9303 Part 12) names
// the same state as the MRZ's issuing state; a document of an organisation (EUE, UNO, ...) names
// no state, so that check cannot be made for it.
std::optional<std::string_view> alpha2_of_issuer(std::string_view issuing_state);

// Every known code, sorted by code.
std::span<const CountryCode> all_country_codes();

}  // namespace mrz
