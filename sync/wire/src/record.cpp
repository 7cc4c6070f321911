#include "sync/record.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string_view>

#include "charset.hpp"
#include "sync/crypto.hpp"

namespace borderpost::sync {
namespace {

using nlohmann::json;

json movement_json(const Movement& m) {
  const auto& d = m.document;
  const auto& t = m.traveller;
  const auto& c = m.checks;
  return {{"direction", m.direction},
          {"document", {{"format", d.format}, {"code", d.code}, {"issuer", d.issuer}, {"number", d.number}, {"expiry", d.expiry}}},
          {"traveller",
           {{"surname", t.surname}, {"given_names", t.given_names}, {"nationality", t.nationality},
            {"birth_date", t.birth_date}, {"sex", t.sex}}},
          {"decision", m.decision},
          {"inspector", m.inspector},
          {"checks",
           {{"verdict", c.verdict}, {"passed", c.passed}, {"warnings", c.warnings}, {"failed", c.failed}, {"not_run", c.not_run}}},
          {"corrects", m.corrects ? json(*m.corrects) : json(nullptr)}};
}

json body_json(const Record& r) {
  return {{"v", r.version},
          {"station", r.station},
          {"seq", r.seq},
          {"uuid", r.uuid},
          {"recorded_at", r.recorded_at},
          {"utc_offset_minutes", r.utc_offset_minutes},
          {"movement", movement_json(r.movement)},
          {"prev_hash", r.prev_hash}};
}

// Strict reading: every key present with the right type, and no key the format does not define
// (an unknown key would travel unsigned).
class Reader {
 public:
  Reader(const json& object, std::string where, std::string& error) : object_(object), where_(std::move(where)), error_(error) {
    if (!object_.is_object()) fail("is not an object");
  }
  bool ok() const { return error_.empty(); }

  std::string text(const char* key) {
    const json* v = get(key);
    if (v == nullptr) return {};
    if (!v->is_string()) return fail(std::string(key) + " is not a string"), std::string();
    return v->get<std::string>();
  }
  template <typename Int>
  Int integer(const char* key) {
    const json* v = get(key);
    if (v == nullptr) return 0;
    if (!v->is_number_integer()) return fail(std::string(key) + " is not an integer"), Int{};
    if constexpr (std::is_unsigned_v<Int>) {
      if (!v->is_number_unsigned()) return fail(std::string(key) + " is negative"), Int{};
      return v->get<Int>();
    } else {
      const auto n = v->get<std::int64_t>();
      if (n < -1'000'000 || n > 1'000'000) return fail(std::string(key) + " is out of range"), Int{};
      return static_cast<Int>(n);
    }
  }
  std::optional<std::string> optional_text(const char* key) {
    const json* v = get(key);
    if (v == nullptr || v->is_null()) return std::nullopt;
    if (!v->is_string()) return fail(std::string(key) + " is not a string or null"), std::nullopt;
    return v->get<std::string>();
  }
  const json& child(const char* key) {
    static const json kNone;
    const json* v = get(key);
    return v == nullptr ? kNone : *v;
  }
  void no_other_keys() {
    if (!ok() || !object_.is_object() || object_.size() == found_) return;
    for (const auto& [key, value] : object_.items())
      if (std::find(asked_.begin(), asked_.end(), key) == asked_.end()) return fail("has an unknown key \"" + key + "\"");
  }

 private:
  const json* get(const char* key) {
    if (!ok()) return nullptr;
    asked_.push_back(key);
    const auto it = object_.find(key);
    if (it == object_.end()) return fail(std::string("lacks ") + key), nullptr;
    ++found_;
    return &*it;
  }
  void fail(const std::string& why) {
    if (error_.empty()) error_ = where_ + " " + why;
  }
  const json& object_;
  std::string where_;
  std::string& error_;
  std::vector<std::string_view> asked_;  // every key looked up; all present ones counted in found_
  std::size_t found_ = 0;
};

using charset::all_of, charset::upper, charset::digit, charset::upper_or_digit, charset::name_char;
bool lower_hex(char c) { return digit(c) || (c >= 'a' && c <= 'f'); }
bool station_char(char c) { return upper_or_digit(c) || c == '-'; }
bool inspector_char(char c) {
  return upper_or_digit(c) || (c >= 'a' && c <= 'z') || c == '-' || c == '_' || c == '.';
}
bool is_hash(std::string_view s) { return s.size() == 64 && all_of(s, lower_hex); }

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !lower_hex(s[i])) return false;
  }
  return true;
}

}  // namespace

bool is_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!digit(s[i])) return false;
  const int month = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

namespace {

bool is_date(std::string_view s) { return is_iso_date(s); }

// "YYYY-MM-DDTHH:MM:SS.mmmZ"
bool is_timestamp(std::string_view s) {
  if (s.size() != 24 || !is_date(s.substr(0, 10)) || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' ||
      s[23] != 'Z')
    return false;
  for (std::size_t i : {11, 12, 14, 15, 17, 18, 20, 21, 22})
    if (!digit(s[i])) return false;
  const int hour = (s[11] - '0') * 10 + (s[12] - '0'), minute = (s[14] - '0') * 10 + (s[15] - '0'),
            second = (s[17] - '0') * 10 + (s[18] - '0');
  return hour < 24 && minute < 60 && second < 61;
}

bool one_of(const std::string& s, std::initializer_list<const char*> allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return s == a; });
}

}  // namespace

std::string canonical_body(const Record& record) {
  return body_json(record).dump(-1, ' ', false, json::error_handler_t::strict);
}

std::string expected_hash(const Record& record) { return sha256_hex(canonical_body(record)); }

json to_json(const Record& record) {
  auto j = body_json(record);
  j["hash"] = record.hash;
  j["signature"] = record.signature;
  return j;
}

std::optional<Record> record_from_json(const json& j, std::string& error) {
  error.clear();
  Record r;
  Reader top(j, "record", error);
  r.version = top.integer<int>("v");
  r.station = top.text("station");
  r.seq = top.integer<std::uint64_t>("seq");
  r.uuid = top.text("uuid");
  r.recorded_at = top.text("recorded_at");
  r.utc_offset_minutes = top.integer<int>("utc_offset_minutes");
  r.prev_hash = top.text("prev_hash");
  r.hash = top.text("hash");
  r.signature = top.text("signature");
  Reader m(top.child("movement"), "movement", error);
  auto& mv = r.movement;
  mv.direction = m.text("direction");
  mv.decision = m.text("decision");
  mv.inspector = m.text("inspector");
  mv.corrects = m.optional_text("corrects");
  Reader d(m.child("document"), "document", error);
  mv.document = {d.text("format"), d.text("code"), d.text("issuer"), d.text("number"), d.text("expiry")};
  Reader t(m.child("traveller"), "traveller", error);
  mv.traveller = {t.text("surname"), t.text("given_names"), t.text("nationality"), t.text("birth_date"), t.text("sex")};
  Reader c(m.child("checks"), "checks", error);
  mv.checks.verdict = c.text("verdict");
  mv.checks.passed = c.integer<int>("passed");
  mv.checks.warnings = c.integer<int>("warnings");
  mv.checks.failed = c.integer<int>("failed");
  mv.checks.not_run = c.integer<int>("not_run");
  for (Reader* reader : {&top, &m, &d, &t, &c}) reader->no_other_keys();
  if (!error.empty()) return std::nullopt;
  return r;
}

std::string shape_problem(const Record& r) {
  const auto& m = r.movement;
  const auto& d = m.document;
  const auto& t = m.traveller;
  const auto& c = m.checks;
  if (r.version != kRecordVersion) return "unsupported record version " + std::to_string(r.version);
  if (r.station.empty() || r.station.size() > 32 || !all_of(r.station, station_char))
    return "station id must be 1-32 characters A-Z, 0-9 or '-'";
  if (r.seq < 1 || r.seq > (std::uint64_t{1} << 53)) return "seq must be between 1 and 2^53";
  if (!is_uuid(r.uuid)) return "uuid is not a lower-case RFC 9562 UUID";
  if (!is_timestamp(r.recorded_at)) return "recorded_at is not YYYY-MM-DDTHH:MM:SS.mmmZ";
  if (r.utc_offset_minutes < -720 || r.utc_offset_minutes > 840) return "utc_offset_minutes is outside -720..840";
  if (!one_of(m.direction, {"entry", "exit"})) return "direction must be entry or exit";
  if (!one_of(m.decision, {"admit", "refuse", "refer"})) return "decision must be admit, refuse or refer";
  if (m.inspector.empty() || m.inspector.size() > 64 || !all_of(m.inspector, inspector_char))
    return "inspector id must be 1-64 characters A-Z, a-z, 0-9, '.', '_' or '-'";
  if (m.corrects && !is_uuid(*m.corrects)) return "corrects is not a UUID";
  if (!one_of(d.format, {"TD1", "TD2", "TD3", "MRVA", "MRVB"})) return "document format must be TD1, TD2, TD3, MRVA or MRVB";
  if (d.code.empty() || d.code.size() > 2 || !all_of(d.code, upper)) return "document code must be 1-2 letters";
  if (d.issuer.empty() || d.issuer.size() > 3 || !all_of(d.issuer, upper)) return "document issuer must be 1-3 letters";
  if (d.number.empty() || d.number.size() > 24 || !all_of(d.number, upper_or_digit))
    return "document number must be 1-24 characters A-Z or 0-9";
  if (!d.expiry.empty() && !is_date(d.expiry)) return "document expiry is not YYYY-MM-DD";
  if (t.surname.size() > 100 || !all_of(t.surname, name_char) || t.given_names.size() > 100 ||
      !all_of(t.given_names, name_char))
    return "names must be at most 100 characters A-Z, space, '-' or apostrophe";
  if (t.nationality.empty() || t.nationality.size() > 3 || !all_of(t.nationality, upper))
    return "nationality must be 1-3 letters";
  if (!t.birth_date.empty() && !is_date(t.birth_date)) return "birth date is not YYYY-MM-DD";
  if (!one_of(t.sex, {"F", "M", "X"})) return "sex must be F, M or X";
  if (!one_of(c.verdict, {"pass", "warn", "fail"})) return "check verdict must be pass, warn or fail";
  if (c.passed < 0 || c.warnings < 0 || c.failed < 0 || c.not_run < 0) return "check counts must not be negative";
  if (!is_hash(r.prev_hash)) return "prev_hash is not 64 lower-case hex digits";
  if (!is_hash(r.hash)) return "hash is not 64 lower-case hex digits";
  if (r.signature.size() != 88) return "signature is not a base64 Ed25519 signature";
  return {};
}

Timestamp now() {
  const auto t = std::chrono::system_clock::now();
  const auto seconds = std::chrono::system_clock::to_time_t(t);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
  std::tm utc{}, local{};
  gmtime_r(&seconds, &utc);
  localtime_r(&seconds, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char full[40];
  std::snprintf(full, sizeof full, "%s.%03dZ", text, static_cast<int>(millis));
  return {full, static_cast<int>(local.tm_gmtoff / 60)};
}

}  // namespace borderpost::sync
