// format -> parse round trip over many generated documents of every layout.
#include <doctest/doctest.h>

#include <random>

#include "mrz/countries.hpp"
#include "test_support.hpp"

using namespace mrz;

namespace {

std::string random_text(std::mt19937& rng, const std::string& alphabet, int min_length, int max_length) {
  std::string out(static_cast<std::size_t>(min_length + static_cast<int>(rng() % (max_length - min_length + 1))), ' ');
  for (auto& c : out) c = alphabet[rng() % alphabet.size()];
  return out;
}

const std::string kLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const std::string kAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

DocumentFields random_document(std::mt19937& rng, Format format) {
  const auto codes = all_country_codes();
  DocumentFields f;
  f.format = format;
  f.issuing_state = std::string(codes[rng() % codes.size()].code);
  f.nationality = std::string(codes[rng() % codes.size()].code);
  f.surname = random_text(rng, kLetters, 2, 14);
  if (rng() % 2) f.surname.append(" ").append(random_text(rng, kLetters, 2, 10));
  f.given_names = random_text(rng, kLetters, 0, 12);
  const bool long_number = (format == Format::TD1 || format == Format::TD2) && rng() % 4 == 0;
  f.document_number = random_text(rng, kAlnum, long_number ? 10 : 5, long_number ? (format == Format::TD1 ? 14 : 12) : 9);
  f.birth_date = Date{"", 1930 + static_cast<int>(rng() % 96), 1 + static_cast<int>(rng() % 12), 1 + static_cast<int>(rng() % 28)};
  if (rng() % 10 == 0) f.birth_date.day = 0;
  f.expiry_date = Date{"", 2000 + static_cast<int>(rng() % 50), 1 + static_cast<int>(rng() % 12), 1 + static_cast<int>(rng() % 28)};
  f.sex = "MFX<"[rng() % 4];
  if (!long_number) f.optional_data = random_text(rng, kAlnum, 0, format == Format::TD2 ? 7 : 8);
  if (format == Format::TD1) f.optional_data_2 = random_text(rng, kAlnum, 0, 11);
  return f;
}

}  // namespace

TEST_CASE("format then parse gives back every field, for 5000 documents of each layout") {
  std::mt19937 rng(2026);
  for (const auto format_kind : {Format::TD1, Format::TD2, Format::TD3, Format::MRVA, Format::MRVB}) {
    int checked = 0;
    for (int i = 0; i < 5000; ++i) {
      const auto fields = random_document(rng, format_kind);
      const auto out = format(fields);
      REQUIRE_MESSAGE(out.ok(), out.problems.front().message);
      const auto doc = parse(out.lines, ParseOptions{mrz::test::kAsOf});
      REQUIRE_MESSAGE(doc.valid(), out.text());
      CHECK(doc.format == format_kind);
      CHECK(doc.lines == out.lines);
      CHECK(doc.issuing_state.value == fields.issuing_state);
      CHECK(doc.nationality.value == fields.nationality);
      CHECK(doc.document_number.value == fields.document_number);
      CHECK(doc.birth_date.month == fields.birth_date.month);
      CHECK(doc.birth_date.day == fields.birth_date.day);
      CHECK(doc.birth_date.year % 100 == fields.birth_date.year % 100);
      CHECK(doc.expiry_date.year == fields.expiry_date.year);
      CHECK(doc.sex.raw[0] == fields.sex);
      CHECK(doc.optional_data.value == fields.optional_data);
      if (!doc.name_possibly_truncated) {
        CHECK(doc.surname.value == fields.surname);
        CHECK(doc.given_names.value == fields.given_names);
      }
      ++checked;
    }
    CHECK(checked == 5000);
  }
}
