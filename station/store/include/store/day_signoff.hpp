// A supervisor's sign-off of one day at the post: the day's totals and a digest of its sealed
// movement records, signed with the station's Ed25519 key and kept as an audit entry. Checking it
// later tells whether the day's records are still exactly those that were signed off.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "sync/crypto.hpp"

namespace borderpost::station {

struct DayTotals {
  std::string date;  // local, YYYY-MM-DD
  std::uint64_t movements = 0, entries = 0, exits = 0, admitted = 0, refused = 0, referred = 0, with_alerts = 0;
  std::uint64_t first_seq = 0, last_seq = 0;  // the day's records in the post's chain; 0 when none
  std::string records_sha256;                 // SHA-256 over the day's sealed records, in order
  bool operator==(const DayTotals&) const = default;
};

// Reads the day's movements from the station database.
DayTotals day_totals(sqlite3* db, const std::string& date);

struct DaySignOff {
  DayTotals totals;
  std::string station, supervisor, signed_at, note;
  std::string signature;  // base64 Ed25519 over statement()
  std::string statement() const;  // the canonical JSON that is signed (everything but the signature)
};

nlohmann::json to_json(const DayTotals& totals);
nlohmann::json to_json(const DaySignOff& sign_off);
std::optional<DaySignOff> sign_off_from_json(const nlohmann::json& j);  // nullopt when malformed

DaySignOff sign_day(DayTotals totals, std::string station, std::string supervisor, std::string signed_at, std::string note,
                    const sync::SigningKey& key);

enum class SignOffState { Intact, SignatureBroken, RecordsChanged };
std::string_view to_string(SignOffState state);
SignOffState check_sign_off(const DaySignOff& sign_off, EVP_PKEY* station_key, const DayTotals& now);

// The audit entry that keeps it (action day.signed-off, subject the date), and the newest one of a day.
inline constexpr const char* kSignOffAction = "day.signed-off";
std::optional<DaySignOff> latest_sign_off(sqlite3* db, const std::string& date);

}  // namespace borderpost::station
