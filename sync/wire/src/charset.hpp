// The character sets record and watch-list fields are held to (MRZ-like: upper case, digits).
#pragma once

#include <algorithm>
#include <string_view>

namespace borderpost::sync::charset {

inline bool all_of(std::string_view s, bool (*ok)(char)) { return std::all_of(s.begin(), s.end(), ok); }
inline bool upper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool digit(char c) { return c >= '0' && c <= '9'; }
inline bool upper_or_digit(char c) { return upper(c) || digit(c); }
inline bool name_char(char c) { return upper(c) || c == ' ' || c == '-' || c == '\''; }  // MRZ names, spaced

}  // namespace borderpost::sync::charset
