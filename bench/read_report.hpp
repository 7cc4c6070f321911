// What the optical reader's benchmarks print about a reading, and the figures they share.
#pragma once

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "mrz/repair.hpp"

namespace bench {

// The q-quantile (0..1) of the values, 0 for none.
inline double percentile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1))];
}

// A line of this process's /proc status in kB: "VmRSS" now, "VmHWM" at its peak; -1 if unknown.
inline long memory_kb(const std::string& field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

// " A=0.97 B=0.02 ..." : a cell's candidates with the classifier's probabilities.
inline void print_candidates(std::ostream& out, const std::vector<mrz::Candidate>& cell) {
  out << " [";
  for (const auto& k : cell) out << ' ' << k.character << '=' << std::exp(-k.cost);
  out << " ]\n";
}

// Per line, the classifier's cost (-ln p) of each character the reading settled on; -1 where the
// classifier did not offer it (a repair forced it) or no cell was read.
inline std::vector<std::vector<float>> chosen_costs(const std::vector<std::string>& lines,
                                                    const mrz::CellCandidates& cells) {
  std::vector<std::vector<float>> costs;
  for (std::size_t l = 0; l < lines.size(); ++l) {
    auto& out = costs.emplace_back(lines[l].size(), -1.0F);
    for (std::size_t p = 0; p < lines[l].size() && l < cells.size() && p < cells[l].size(); ++p)
      for (const auto& k : cells[l][p])
        if (k.character == lines[l][p]) out[p] = k.cost;
  }
  return costs;
}

inline void print_uncertain(std::ostream& out, const std::vector<std::string>& fields, const std::string& indent) {
  if (fields.empty()) return;
  out << indent << "uncertain:";
  for (const auto& f : fields) out << ' ' << f;
  out << "\n";
}

}  // namespace bench
