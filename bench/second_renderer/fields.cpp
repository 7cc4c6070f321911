#include "fields.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>
#include <span>
#include <string_view>

namespace render2 {
namespace {

// Surnames and given names as a data page prints them. Many are rich in O, D, Q, G and C, the
// letters an OCR confuses with 0 and with each other.
constexpr std::array<std::string_view, 58> kSurnames = {
    "O'Donnell", "Domingo", "Oquendo", "Godoy", "Orozco", "González", "Rodríguez", "Ordóñez",
    "Obando", "Quiñónez", "Dos Santos", "De la Cruz", "Olmedo", "Oropeza", "Goicoechea", "Quiroga",
    "Coloma", "Mondragón", "Bolaños", "Cordero", "Dubois", "Boudou", "Moreau", "Odobescu",
    "Popescu", "Quaglio", "Costa", "Müller", "Sørensen", "Woźniak", "Dąbrowski", "Novák",
    "Van den Boom", "Oosterhout", "Doolittle", "O'Connor", "MacDonald", "Dodd", "Goldberg",
    "Nguyen", "Doan", "Ho", "Goh", "Ooi", "Koo", "Oh", "Zhou", "Wong", "Dong", "Qiu", "Kondo",
    "Oda", "Yamamoto", "Gupta", "Choudhury", "Odogwu", "Gómez de la Torre", "Boscolo Bozzo"};

constexpr std::array<std::string_view, 44> kGivenNames = {
    "Domingo",  "Odalys",    "Osvaldo",     "Dolores",   "Guadalupe",  "Joaquín",    "Rodolfo",
    "Octavio",  "Quintín",   "Consuelo",    "Gonzalo",   "María José", "Juan Pablo", "Oona",
    "Bogdan",   "Łukasz",    "Zoë",         "Mónica",    "Otto",       "Odile",      "Dorota",
    "Conor",    "Siobhán",   "Doo-hoon",    "Dong-ho",   "Qiong",      "Quang",      "Hoa",
    "Goro",     "Yoko",      "Rocío",       "Olga",      "Diego",      "Gregorio",   "Jose Antonio",
    "Bo",       "Quentin",   "Dominique",   "Coco",      "Olusegun",   "Oddbjørn",   "Godofredo",
    "Ana",      "Gloria"};

struct State {
  std::string_view code;
  std::string_view name;
  std::string_view nationality;
  std::string_view city;
};

constexpr std::array<State, 22> kStates = {{
    {"MEX", "ESTADOS UNIDOS MEXICANOS", "MEXICANA", "OAXACA"},
    {"COL", "REPÚBLICA DE COLOMBIA", "COLOMBIANA", "BOGOTÁ D.C."},
    {"ARG", "REPÚBLICA ARGENTINA", "ARGENTINA", "CÓRDOBA"},
    {"PER", "REPÚBLICA DEL PERÚ", "PERUANA", "CUZCO"},
    {"CHL", "REPÚBLICA DE CHILE", "CHILENA", "CONCEPCIÓN"},
    {"ECU", "REPÚBLICA DEL ECUADOR", "ECUATORIANA", "GUAYAQUIL"},
    {"BOL", "ESTADO PLURINACIONAL DE BOLIVIA", "BOLIVIANA", "COCHABAMBA"},
    {"ESP", "REINO DE ESPAÑA", "ESPAÑOLA", "OVIEDO"},
    {"PRT", "REPÚBLICA PORTUGUESA", "PORTUGUESA", "COIMBRA"},
    {"FRA", "RÉPUBLIQUE FRANÇAISE", "FRANÇAISE", "DOUAI"},
    {"D", "BUNDESREPUBLIK DEUTSCHLAND", "DEUTSCH", "DORTMUND"},
    {"ITA", "REPUBBLICA ITALIANA", "ITALIANA", "BOLOGNA"},
    {"IRL", "IRELAND / ÉIRE", "IRISH", "DONEGAL"},
    {"POL", "RZECZPOSPOLITA POLSKA", "POLSKIE", "GDAŃSK"},
    {"NLD", "KONINKRIJK DER NEDERLANDEN", "NEDERLANDSE", "DORDRECHT"},
    {"CHN", "PEOPLE'S REPUBLIC OF CHINA", "CHINESE", "CHONGQING"},
    {"JPN", "JAPAN", "JAPAN", "OSAKA"},
    {"KOR", "REPUBLIC OF KOREA", "REPUBLIC OF KOREA", "DAEGU"},
    {"VNM", "SOCIALIST REPUBLIC OF VIET NAM", "VIETNAMESE", "DONG HOI"},
    {"PHL", "REPUBLIC OF THE PHILIPPINES", "FILIPINO", "CEBU"},
    {"GBR", "UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND", "BRITISH CITIZEN", "CROYDON"},
    {"UTO", "UTOPIA", "UTOPIAN", "ODOM"},
}};

// One character of a document number: letters mostly from the confusable ones, digits mostly 0.
char number_character(Rng& rng, bool letter) {
  if (letter) {
    if (rng.chance(0.6)) return "ODQCGBSZI"[rng.between(0, 8)];
    return static_cast<char>('A' + rng.between(0, 25));
  }
  if (rng.chance(0.4)) return '0';
  return static_cast<char>('0' + rng.between(0, 9));
}

std::string document_number(Rng& rng, int length) {
  std::string out;
  const int style = rng.between(0, 3);
  for (int i = 0; i < length; ++i) {
    bool letter = false;
    switch (style) {
      case 0: letter = i < 2; break;                // "OD0123456"
      case 1: letter = i == 0; break;               // "Q00719862"
      case 2: letter = rng.chance(0.45); break;     // "0DO0Q1C08"
      default: letter = i % 3 == 1; break;          // "0O00D10Q0"
    }
    out.push_back(number_character(rng, letter));
  }
  return out;
}

std::string optional_text(Rng& rng, int max_length) {
  const int length = rng.between(std::min(4, max_length), max_length);
  std::string out;
  for (int i = 0; i < length; ++i) out.push_back(number_character(rng, rng.chance(0.3)));
  return out;
}

std::string join_names(Rng& rng, std::span<const std::string_view> names, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    if (i > 0) out.push_back(' ');
    out.append(rng.pick(names));
  }
  return out;
}

mrz::Date random_date(Rng& rng, int first_year, int last_year) {
  mrz::Date d;
  d.year = rng.between(first_year, last_year);
  d.month = rng.between(1, 12);
  d.day = rng.between(1, 28);
  return d;
}

}  // namespace

std::string viz_date(const mrz::Date& date, int style) {
  static constexpr std::array<const char*, 12> kMonths = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  char buffer[32];
  const int month = date.month >= 1 && date.month <= 12 ? date.month : 1;
  if (style == 0) {
    std::snprintf(buffer, sizeof buffer, "%02d %s %04d", date.day, kMonths[static_cast<std::size_t>(month - 1)], date.year);
  } else {
    std::snprintf(buffer, sizeof buffer, style == 1 ? "%02d.%02d.%04d" : "%02d/%02d/%04d", date.day, month, date.year);
  }
  return buffer;
}

RandomDocument random_document(mrz::Format format, Rng& rng) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    RandomDocument doc;
    auto& f = doc.fields;
    f.format = format;
    const State& issuer = rng.pick(std::span<const State>(kStates));
    const State& national = rng.chance(0.8) ? issuer : rng.pick(std::span<const State>(kStates));
    doc.state_name = issuer.name;
    doc.nationality_name = national.nationality;
    doc.place_of_birth = national.city;
    f.issuing_state = issuer.code;
    f.nationality = national.code;

    switch (format) {
      case mrz::Format::TD3: f.document_code = rng.chance(0.85) ? "P" : (rng.chance(0.5) ? "PO" : "PD"); break;
      case mrz::Format::TD1: f.document_code = rng.chance(0.5) ? "I" : (rng.chance(0.6) ? "ID" : "IR"); break;
      case mrz::Format::TD2: f.document_code = rng.chance(0.6) ? "I" : (rng.chance(0.5) ? "IP" : "AC"); break;
      default: f.document_code = "V"; break;
    }

    f.surname = std::string(rng.pick(std::span<const std::string_view>(kSurnames)));
    if (rng.chance(0.25)) f.surname += " " + std::string(rng.pick(std::span<const std::string_view>(kSurnames)));
    f.given_names = join_names(rng, kGivenNames, rng.chance(0.2) ? 3 : rng.between(1, 2));

    const bool long_number = (format == mrz::Format::TD1 || format == mrz::Format::TD2) && rng.chance(0.15);
    f.document_number = document_number(rng, long_number ? rng.between(10, 12) : rng.between(8, 9));

    f.birth_date = random_date(rng, 1938, 2020);
    if (rng.chance(0.03)) f.birth_date.day = 0;  // day unknown, printed "<<"
    f.expiry_date = random_date(rng, 2024, 2036);
    doc.issue_date = f.expiry_date;
    doc.issue_date.year -= format == mrz::Format::MRVA || format == mrz::Format::MRVB ? 1 : (rng.chance(0.5) ? 10 : 5);
    f.sex = "MFFMX<"[rng.between(0, 5)];

    switch (format) {
      case mrz::Format::TD3:
        if (rng.chance(0.55)) f.optional_data = optional_text(rng, 14);
        else f.personal_number_check_as_filler = rng.chance(0.5);
        break;
      case mrz::Format::TD1:
        if (rng.chance(0.4)) f.optional_data = optional_text(rng, long_number ? 2 : 15);
        if (rng.chance(0.3)) f.optional_data_2 = optional_text(rng, 11);
        break;
      case mrz::Format::TD2:
        if (rng.chance(0.4) && !long_number) f.optional_data = optional_text(rng, 7);
        break;
      case mrz::Format::MRVA:
        if (rng.chance(0.4)) f.optional_data = optional_text(rng, 16);
        break;
      default:
        if (rng.chance(0.4)) f.optional_data = optional_text(rng, 8);
        break;
    }
    if (format == mrz::Format::MRVA || format == mrz::Format::MRVB) {
      doc.visa_type = std::string(1, "CDCCA"[rng.between(0, 4)]);
      doc.entries = rng.chance(0.6) ? "MULT" : std::to_string(rng.between(1, 2));
      doc.authority = std::string("CONSULADO GENERAL ") + std::string(issuer.city);
    } else {
      static constexpr std::array<std::string_view, 5> kAuthorities = {
          "MINISTRY OF FOREIGN AFFAIRS", "DIRECCIÓN GENERAL DE POLICÍA", "REGISTRO NACIONAL", "PREFECTURE",
          "PASSPORT OFFICE"};
      doc.authority = std::string(rng.pick(std::span<const std::string_view>(kAuthorities)));
    }

    const auto formatted = mrz::format(f);
    if (!formatted.ok()) continue;
    doc.mrz_lines = formatted.lines;
    return doc;
  }
  throw std::runtime_error("could not make a valid document");
}

}  // namespace render2
