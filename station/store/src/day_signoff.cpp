// Day sign-off: totals and records digest, the signed statement, and its check.
#include "store/day_signoff.hpp"

#include "sync/sqlite.hpp"

namespace borderpost::station {
namespace {

using nlohmann::json;
using sync::sqlite::Statement;

std::uint64_t unsigned_field(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number_unsigned()) throw std::invalid_argument(key);
  return j[key].get<std::uint64_t>();
}

std::string string_field(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) throw std::invalid_argument(key);
  return j[key].get<std::string>();
}

}  // namespace

DayTotals day_totals(sqlite3* db, const std::string& date) {
  DayTotals t;
  t.date = date;
  std::string sealed;  // the day's records, each length-prefixed: no two sequences of records hash alike
  Statement q(db, "SELECT seq, direction, decision, alerts, record FROM movements WHERE local_date = ? ORDER BY id");
  q.bind(1, date);
  while (q.step()) {
    const auto seq = static_cast<std::uint64_t>(q.integer(0));
    if (t.movements++ == 0) t.first_seq = seq;
    t.last_seq = seq;
    ++(q.text(1) == "entry" ? t.entries : t.exits);
    const auto decision = q.text(2);
    ++(decision == "admit" ? t.admitted : decision == "refuse" ? t.refused : t.referred);
    if (q.integer(3) > 0) ++t.with_alerts;
    const auto record = q.text(4);
    sealed.append(std::to_string(record.size())).append(":").append(record);
  }
  t.records_sha256 = sync::sha256_hex(sealed);
  return t;
}

json to_json(const DayTotals& t) {
  return {{"date", t.date},         {"movements", t.movements},   {"entries", t.entries},   {"exits", t.exits},
          {"admitted", t.admitted}, {"refused", t.refused},       {"referred", t.referred}, {"with_alerts", t.with_alerts},
          {"first_seq", t.first_seq}, {"last_seq", t.last_seq}, {"records_sha256", t.records_sha256}};
}

std::string DaySignOff::statement() const {
  const json j{{"kind", "borderpost.day-sign-off.v1"}, {"totals", to_json(totals)}, {"station", station},
               {"supervisor", supervisor}, {"signed_at", signed_at}, {"note", note}};
  return j.dump(-1, ' ', false, json::error_handler_t::strict);  // keys sorted: one text for one content
}

json to_json(const DaySignOff& s) {
  return {{"totals", to_json(s.totals)}, {"station", s.station}, {"supervisor", s.supervisor},
          {"signed_at", s.signed_at},    {"note", s.note},       {"signature", s.signature}};
}

std::optional<DaySignOff> sign_off_from_json(const json& j) {
  try {
    if (!j.is_object() || !j.contains("totals") || !j["totals"].is_object()) return std::nullopt;
    const auto& t = j["totals"];
    DaySignOff s;
    s.totals.date = string_field(t, "date");
    s.totals.movements = unsigned_field(t, "movements");
    s.totals.entries = unsigned_field(t, "entries");
    s.totals.exits = unsigned_field(t, "exits");
    s.totals.admitted = unsigned_field(t, "admitted");
    s.totals.refused = unsigned_field(t, "refused");
    s.totals.referred = unsigned_field(t, "referred");
    s.totals.with_alerts = unsigned_field(t, "with_alerts");
    s.totals.first_seq = unsigned_field(t, "first_seq");
    s.totals.last_seq = unsigned_field(t, "last_seq");
    s.totals.records_sha256 = string_field(t, "records_sha256");
    s.station = string_field(j, "station");
    s.supervisor = string_field(j, "supervisor");
    s.signed_at = string_field(j, "signed_at");
    s.note = string_field(j, "note");
    s.signature = string_field(j, "signature");
    return s;
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
}

DaySignOff sign_day(DayTotals totals, std::string station, std::string supervisor, std::string signed_at, std::string note,
                    const sync::SigningKey& key) {
  DaySignOff s{std::move(totals), std::move(station), std::move(supervisor), std::move(signed_at), std::move(note), ""};
  s.signature = key.sign(s.statement());
  return s;
}

std::string_view to_string(SignOffState state) {
  switch (state) {
    case SignOffState::Intact: return "intact";
    case SignOffState::SignatureBroken: return "signature-broken";
    case SignOffState::RecordsChanged: return "records-changed";
  }
  return "?";
}

SignOffState check_sign_off(const DaySignOff& sign_off, EVP_PKEY* station_key, const DayTotals& now) {
  if (!sync::verify_signature(station_key, sign_off.statement(), sign_off.signature)) return SignOffState::SignatureBroken;
  return sign_off.totals == now ? SignOffState::Intact : SignOffState::RecordsChanged;
}

std::optional<DaySignOff> latest_sign_off(sqlite3* db, const std::string& date) {
  Statement q(db, "SELECT detail FROM audit WHERE action = ? AND subject = ? ORDER BY id DESC LIMIT 1");
  q.bind(1, kSignOffAction).bind(2, date);
  if (!q.step()) return std::nullopt;
  if (auto s = sign_off_from_json(json::parse(q.text(0), nullptr, false))) return s;
  DaySignOff unreadable;  // an altered entry still counts as a sign-off, one whose signature fails
  unreadable.totals.date = date;
  return unreadable;
}

}  // namespace borderpost::station
