// The statistics pass: one scan of the range's movements (by the day index), one of its alerts.
#include "store/statistics.hpp"

#include <cctype>

#include "sync/age.hpp"
#include "sync/sqlite.hpp"

namespace borderpost::station {

std::string age_band(std::string_view birth_date, std::string_view on_date) {
  return sync::age_band(sync::age_on(std::string(birth_date), std::string(on_date)), sync::Minors::split);
}

void count_movement(PostStatistics& stats, const MovementFacts& m) {
  const bool entry = m.direction == "entry";
  auto add = [entry](DirectionCounts& c) { ++(entry ? c.entries : c.exits); };
  add(stats.totals);
  if (m.local_time.size() >= 2 && std::isdigit(static_cast<unsigned char>(m.local_time[0])) &&
      std::isdigit(static_cast<unsigned char>(m.local_time[1]))) {
    const auto hour = static_cast<std::size_t>((m.local_time[0] - '0') * 10 + (m.local_time[1] - '0'));
    if (hour < 24) add(stats.per_hour[hour]);
  }
  add(stats.per_day[std::string(m.local_date)]);
  if (m.decision == "admit") ++stats.admitted;
  if (m.decision == "refer") ++stats.referred;
  if (m.decision == "refuse") {
    ++stats.refused;
    ++stats.refusal_reason[m.refusal_reason.empty() ? "unknown" : std::string(m.refusal_reason)];
  }
  if (m.alerts > 0) ++stats.with_alerts;
  ++stats.nationality[m.nationality.empty() ? "unknown" : std::string(m.nationality)];
  ++stats.sex[m.sex == "F" || m.sex == "M" ? std::string(m.sex) : "X"];
  ++stats.age_band[age_band(m.birth_date, m.local_date)];
}

PostStatistics compute_statistics(sqlite3* db, const std::string& from, const std::string& to) {
  using sync::sqlite::Statement;
  PostStatistics stats;
  stats.from = from;
  stats.to = to;
  Statement rows(db,
                 "SELECT local_date, local_time, direction, decision, nationality, sex, birth_date, refusal_reason, alerts"
                 " FROM movements WHERE local_date BETWEEN ? AND ?");
  rows.bind(1, from).bind(2, to);
  while (rows.step()) {
    const std::string date = rows.text(0), time = rows.text(1), direction = rows.text(2), decision = rows.text(3),
                      nationality = rows.text(4), sex = rows.text(5), birth = rows.text(6), reason = rows.text(7);
    count_movement(stats, {date, time, direction, decision, nationality, sex, birth, reason, static_cast<int>(rows.integer(8))});
  }
  Statement alerts(db,
                   "SELECT c.check_id, count(DISTINCT m.id) FROM movements m JOIN movement_checks c ON c.movement_id = m.id"
                   " WHERE m.local_date BETWEEN ? AND ? AND m.alerts > 0 AND c.alert = 1 GROUP BY c.check_id");
  alerts.bind(1, from).bind(2, to);
  while (alerts.step()) stats.alerts[alerts.text(0)] = static_cast<std::uint64_t>(alerts.integer(1));
  return stats;
}

}  // namespace borderpost::station
