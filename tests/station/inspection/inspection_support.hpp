// What the inspection tests share: days, MRZ dates, a passport printed and read back, and
// watch-list entries.
#pragma once

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <utility>

#include "mrz/mrz.hpp"
#include "inspection/inspection.hpp"
#include "typed_mrz.hpp"

namespace inspection_support {

using borderpost::station::InspectionFacts;
using borderpost::sync::WatchlistEntry;
using borderpost::sync::WatchlistKind;
using std::chrono::year_month_day;

inline year_month_day day(int y, unsigned m, unsigned d) {
  return {std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

constexpr int kUnknown = 0;
inline mrz::Date date(int y, int m, int d) {
  mrz::Date out;
  out.year = y;
  out.month = m;
  out.day = d;
  return out;
}

// The post's usual day in these tests.
inline const year_month_day kCrossing = day(2024, 6, 15);

struct Passport {
  std::string surname = "Eriksson";
  std::string given_names = "Anna Maria";
  std::string number = "L898902C3";
  std::string issuer = "UTO";
  std::string nationality = "UTO";
  mrz::Date birth = date(1974, 8, 12);
  mrz::Date expiry = date(2030, 4, 15);
};

// A TD3 passport printed with mrz::format and read back as of the crossing date (the century rule).
inline mrz::Document passport(const Passport& p = {}, year_month_day as_of = kCrossing) {
  mrz::DocumentFields f;
  f.format = mrz::Format::TD3;
  f.issuing_state = p.issuer;
  f.nationality = p.nationality;
  f.surname = p.surname;
  f.given_names = p.given_names;
  f.document_number = p.number;
  f.birth_date = p.birth;
  f.sex = 'F';
  f.expiry_date = p.expiry;
  return mrz::parse(borderpost::test::typed_mrz(f), mrz::ParseOptions{as_of});
}

inline WatchlistEntry listed_person(std::string surname, std::string given_names, std::string birth_date,
                                    std::string nationality) {
  WatchlistEntry e;
  e.id = "wl-0001";
  e.kind = WatchlistKind::Person;
  e.surname = std::move(surname);
  e.given_names = std::move(given_names);
  e.birth_date = std::move(birth_date);
  e.nationality = std::move(nationality);
  e.reason = "Interpol red notice";
  return e;
}

inline WatchlistEntry listed_document(std::string number, std::string reason) {
  WatchlistEntry e;
  e.id = "wl-0002";
  e.kind = WatchlistKind::Document;
  e.document_number = std::move(number);
  e.issuer = "UTO";
  e.reason = std::move(reason);
  return e;
}

// A chip that opened and verified in every way, as read_chip reports it for `document`: PACE,
// DG1 (the same MRZ), DG2 and DG15 hashed in a valid EF.SOD from a Utopian document signer,
// Active Authentication valid. Tests spoil one part at a time.
inline borderpost::station::ChipFacts verified_chip(const mrz::Document& document) {
  using namespace borderpost::station::emrtd;
  borderpost::station::ChipFacts chip;
  chip.state = borderpost::station::ChipFacts::State::read;
  auto& r = chip.report;
  r.outcome = ChipReport::Outcome::read;
  r.access.method = "PACE";
  r.access.pace_protocol = "id-PACE-ECDH-GM-AES-CBC-CMAC-128";
  for (const auto& line : document.lines) r.dg1_mrz.append(r.dg1_mrz.empty() ? "" : "\n").append(line);
  r.security_object = SecurityObject{"SHA-256", {}, {}};
  PassiveAuthentication p;
  p.signature = PassiveAuthentication::Signature::valid;
  p.certificate = PassiveAuthentication::Certificate::valid;
  p.ds_country = "UT";
  p.ds_not_after = "2034-01-01";
  p.ds_subject = "C=UT, CN=Utopia Document Signer";
  using State = PassiveAuthentication::GroupHash::State;
  p.hashes = {{1, State::matches}, {2, State::matches}, {15, State::matches}};
  r.passive = p;
  r.active_auth = ChipReport::ActiveAuth::valid;
  return chip;
}

// What the images of a genuine TD3 page measure: every security feature as it should be.
inline borderpost::station::SecurityFacts genuine_page() {
  using borderpost::station::NotMeasured;
  borderpost::station::SecurityFacts f;
  f.ir_mrz = {NotMeasured::none, 0.86, true, true, true};
  f.uv = {NotMeasured::none, 0.20, 0.21};
  f.portrait = {NotMeasured::none, 1, 0.22};
  f.viz = {NotMeasured::none, {"surname", "given_names", "document_number", "birth_date", "expiry_date"}, {}, 140};
  f.print = {NotMeasured::none, 2.54, 4.20, 6.2, 0.05, 6.0, 4.23};
  return f;
}

}  // namespace inspection_support
