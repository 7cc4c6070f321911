// The Doc 9303 Part 3 §4.9 check digit: weights 7-3-1 repeating, modulus 10.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace mrz::detail {

// Character values: '0'-'9' = 0-9, 'A'-'Z' = 10-35, '<' = 0; -1 for anything else.
inline constexpr std::array<std::int8_t, 256> kCharValue = [] {
  std::array<std::int8_t, 256> table{};
  table.fill(-1);
  for (int c = '0'; c <= '9'; ++c) table[c] = static_cast<std::int8_t>(c - '0');
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = static_cast<std::int8_t>(c - 'A' + 10);
  table['<'] = 0;
  return table;
}();

// Sums over one or more pieces of text as if they were one (for composite check digits).
class CheckDigitSum {
 public:
  void add(std::string_view data) {
    for (const char ch : data) {
      const int value = kCharValue[static_cast<unsigned char>(ch)];
      if (value < 0) invalid_ = true;
      sum_ = (sum_ + (value < 0 ? 0 : value) * kWeights[index_]) % 10;  // stays small for any length
      index_ = index_ == 2 ? 0 : index_ + 1;
    }
  }
  bool valid() const { return !invalid_; }
  char digit() const { return static_cast<char>('0' + sum_ % 10); }

 private:
  static constexpr int kWeights[3] = {7, 3, 1};
  int sum_ = 0;
  int index_ = 0;
  bool invalid_ = false;
};

}  // namespace mrz::detail
