// Plausible random document contents for synthetic pages.
#include <array>

#include "mrz_synth/page.hpp"

namespace mrz::synth {
namespace {

constexpr std::array kSurnames = {"GARCIA",     "RODRIGUEZ", "GONZALEZ", "FERNANDEZ", "LOPEZ",   "MARTINEZ",
                                  "SANCHEZ",    "PEREZ",     "GOMEZ",    "MARTIN",    "SILVA",   "SANTOS",
                                  "OLIVEIRA",   "SOUZA",     "PEREIRA",  "DUBOIS",    "LEFEBVRE", "MULLER",
                                  "SCHMIDT",    "SMITH",     "JOHNSON",  "WILLIAMS",  "NGUYEN",  "KOWALSKI",
                                  "VAN DER BERG", "DE LA CRUZ", "AL-BASRI", "O'CONNOR", "ERIKSSON", "XIMENEZ",
                                  "QUISPE",     "MAMANI",    "HUAMAN",   "CHOQUE",    "ZAMBRANO", "BUSTAMANTE"};
constexpr std::array kGivenNames = {"MARIA",  "JOSE",    "JUAN",   "ANA",    "LUIS",   "CARLOS", "JORGE",  "ROSA",
                                    "PEDRO",  "CARMEN",  "JOAO",   "FRANCISCA", "ANTONIO", "LUCIA", "MIGUEL", "SOFIA",
                                    "XAVIER", "KATERINA", "ZOE",   "BRUNO",  "QUENTIN", "YOLANDA", "WILSON", "IVAN"};
constexpr std::array kNationalities = {"ARG", "BOL", "BRA", "CHL", "COL", "CRI", "CUB", "DOM", "ECU", "SLV", "GTM",
                                       "HND", "MEX", "NIC", "PAN", "PRY", "PER", "URY", "VEN", "USA", "CAN", "ESP",
                                       "PRT", "FRA", "D",   "ITA", "GBR", "NLD", "CHN", "JPN", "HTI", "UTO", "XXA"};

template <typename Array>
const char* pick(std::mt19937& rng, const Array& values) {
  return values[rng() % values.size()];
}

std::string random_text(std::mt19937& rng, std::string_view alphabet, int length) {
  std::string out(static_cast<std::size_t>(length), ' ');
  for (auto& c : out) c = alphabet[rng() % alphabet.size()];
  return out;
}

int between(std::mt19937& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

}  // namespace

DocumentFields random_fields(std::mt19937& rng, Format format) {
  constexpr std::string_view kLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  constexpr std::string_view kAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  constexpr std::string_view kDigits = "0123456789";
  DocumentFields f;
  f.format = format;
  f.issuing_state = pick(rng, kNationalities);
  f.nationality = rng() % 4 == 0 ? pick(rng, kNationalities) : f.issuing_state;
  f.surname = pick(rng, kSurnames);
  if (rng() % 3 == 0) f.surname.append(" ").append(pick(rng, kSurnames));
  f.given_names = pick(rng, kGivenNames);
  if (rng() % 2 == 0) f.given_names.append(" ").append(pick(rng, kGivenNames));
  // Every draw in its own statement: the order of a call's arguments is unspecified, and the same
  // seed must give the same document whatever the compiler.
  const auto number_digits = random_text(rng, kDigits, 7);
  f.document_number = random_text(rng, kLetters, between(rng, 0, 2)) + number_digits;
  if ((format == Format::TD1 || format == Format::TD2) && rng() % 6 == 0) f.document_number += random_text(rng, kDigits, 2);
  f.birth_date = Date{"", between(rng, 1935, 2024), between(rng, 1, 12), between(rng, 1, 28)};
  if (rng() % 40 == 0) f.birth_date.day = 0;
  f.expiry_date = Date{"", between(rng, 2015, 2036), between(rng, 1, 12), between(rng, 1, 28)};
  f.sex = "MFMFX<"[rng() % 6];
  const bool long_number = f.document_number.size() > 9;
  const int optional_room = format == Format::TD2 ? 7 : format == Format::MRVB ? 8 : 9;
  if (!long_number && rng() % 2 == 0) f.optional_data = random_text(rng, kAlnum, between(rng, 3, optional_room));
  if (format == Format::TD1 && rng() % 2 == 0) f.optional_data_2 = random_text(rng, kDigits, between(rng, 2, 8));
  return f;
}

}  // namespace mrz::synth
