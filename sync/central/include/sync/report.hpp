// The statistics regional migration systems ask for: crossings by post, local day, direction,
// nationality, sex and age band. Pure functions over rows the store aggregates.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sync/age.hpp"

namespace borderpost::sync {

struct ReportQuery {
  std::string from;     // first local day, YYYY-MM-DD
  std::string to;       // last local day, YYYY-MM-DD (inclusive)
  std::string station;  // "" for every post
};

struct ReportRow {
  std::string station;
  std::string day;  // the post's local day
  std::string direction;
  std::string nationality;
  std::string sex;
  std::string age_band;  // age_band(age) (sync/age.hpp): "0-17", "18-29", ..., "unknown"
  std::uint64_t crossings = 0;
};


// Sums rows with the same key and sorts them (station, day, direction, nationality, sex, band).
std::vector<ReportRow> merge_report_rows(std::vector<ReportRow> rows);

std::string report_csv(const std::vector<ReportRow>& rows);
std::string report_json(const ReportQuery& query, const std::vector<ReportRow>& rows);

}  // namespace borderpost::sync
