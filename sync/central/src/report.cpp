#include "sync/report.hpp"

#include "sync/record.hpp"

#include <algorithm>
#include <tuple>

#include <nlohmann/json.hpp>

namespace borderpost::sync {

std::vector<ReportRow> merge_report_rows(std::vector<ReportRow> rows) {
  auto key = [](const ReportRow& r) { return std::tie(r.station, r.day, r.direction, r.nationality, r.sex, r.age_band); };
  std::sort(rows.begin(), rows.end(), [&](const ReportRow& a, const ReportRow& b) { return key(a) < key(b); });
  std::vector<ReportRow> merged;
  for (auto& r : rows) {
    if (!merged.empty() && key(merged.back()) == key(r))
      merged.back().crossings += r.crossings;
    else
      merged.push_back(std::move(r));
  }
  return merged;
}

std::string report_csv(const std::vector<ReportRow>& rows) {
  std::string csv = "station,day,direction,nationality,sex,age_band,crossings\n";
  for (const auto& r : rows) {
    // Every field is drawn from a closed alphabet (A-Z, 0-9, '-', '+'): no quoting needed.
    csv.append(r.station).append(",").append(r.day).append(",").append(r.direction).append(",");
    csv.append(r.nationality).append(",").append(r.sex).append(",").append(r.age_band).append(",");
    csv.append(std::to_string(r.crossings)).append("\n");
  }
  return csv;
}

std::string report_json(const ReportQuery& query, const std::vector<ReportRow>& rows) {
  nlohmann::json j = {{"from", query.from}, {"to", query.to}, {"station", query.station}, {"rows", nlohmann::json::array()}};
  std::uint64_t total = 0;
  for (const auto& r : rows) {
    j["rows"].push_back({{"station", r.station}, {"day", r.day}, {"direction", r.direction}, {"nationality", r.nationality},
                         {"sex", r.sex}, {"age_band", r.age_band}, {"crossings", r.crossings}});
    total += r.crossings;
  }
  j["total"] = total;
  return j.dump();
}

}  // namespace borderpost::sync
