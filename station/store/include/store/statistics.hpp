// The supervisor's statistics over a range of days: crossings per hour and per day, entries and
// exits, by nationality, sex and age band, refusals by reason, alerts by check. Counted in one pass
// over the movements of the range (the aggregation itself is a pure function, tested apart).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <sqlite3.h>

namespace borderpost::station {

struct DirectionCounts {
  std::uint64_t entries = 0, exits = 0;
  std::uint64_t total() const { return entries + exits; }
  bool operator==(const DirectionCounts&) const = default;
};

struct PostStatistics {
  std::string from, to;  // local dates, inclusive
  DirectionCounts totals;
  std::uint64_t admitted = 0, refused = 0, referred = 0, with_alerts = 0;
  std::array<DirectionCounts, 24> per_hour{};          // by the local hour of the crossing
  std::map<std::string, DirectionCounts> per_day;      // only days with crossings
  std::map<std::string, std::uint64_t> nationality;    // ICAO codes
  std::map<std::string, std::uint64_t> sex;            // "F", "M", "X" (unspecified)
  std::map<std::string, std::uint64_t> age_band;       // see age_band()
  std::map<std::string, std::uint64_t> refusal_reason; // codes of the refusals
  std::map<std::string, std::uint64_t> alerts;         // check id -> movements it alerted on
};

// One movement as the statistics see it.
struct MovementFacts {
  std::string_view local_date, local_time, direction, decision, nationality, sex, birth_date, refusal_reason;
  int alerts = 0;
};
void count_movement(PostStatistics& stats, const MovementFacts& m);

// The post's age band on the crossing day: sync::age_band with the minors split ("0-11",
// "12-17", "18-29", ..., "unknown" without a complete birth date or over 130 years; see sync::age_on).
// Both dates are YYYY-MM-DD.
std::string age_band(std::string_view birth_date, std::string_view on_date);

// Reads the station database (migrated); from and to are YYYY-MM-DD, inclusive.
PostStatistics compute_statistics(sqlite3* db, const std::string& from, const std::string& to);

}  // namespace borderpost::station
