// Lenient input handling: case, spaces, '«' fillers, a whole MRZ on one line, and lines a few
// characters too long or short. Every fix is reported; what cannot be fixed makes the input unusable.
#include "normalize.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>

namespace mrz::detail {
namespace {

constexpr int kLengthTolerance = 8;  // beyond this a line is not the layout's line at all

struct LineFixes {
  int spaces = 0;
  int lower_case = 0;
  int guillemets = 0;
};

Problem fixed(int line, std::string message, std::string code, MessageArgs args) {
  return Problem{line ? "line " + std::to_string(line) : "input", line, 0, Severity::Fixed, std::move(message),
                 std::move(code), std::move(args)};
}

std::string count(std::size_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

Problem unusable(std::string message, std::string code, MessageArgs args = {}) {
  return Problem{"input", 0, 0, Severity::Error, std::move(message), std::move(code), std::move(args)};
}

// Cleans one line. Non-ASCII characters other than '«' become '?' so positions stay true and the
// parser reports them.
std::string clean_line(std::string_view raw, LineFixes& fixes) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const auto c = static_cast<unsigned char>(raw[i]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
      if (c == ' ' || c == '\t') ++fixes.spaces;
      continue;
    }
    if (c >= 'a' && c <= 'z') {
      ++fixes.lower_case;
      out.push_back(static_cast<char>(c - 32));
      continue;
    }
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      continue;
    }
    // U+00AB '«' (C2 AB) and U+2039 '‹' (E2 80 B9) are common stand-ins for the filler.
    if (c == 0xC2 && i + 1 < raw.size() && static_cast<unsigned char>(raw[i + 1]) == 0xAB) {
      ++fixes.guillemets;
      out.push_back('<');
      ++i;
      continue;
    }
    if (c == 0xE2 && i + 2 < raw.size() && static_cast<unsigned char>(raw[i + 1]) == 0x80 &&
        static_cast<unsigned char>(raw[i + 2]) == 0xB9) {
      ++fixes.guillemets;
      out.push_back('<');
      i += 2;
      continue;
    }
    // Skip the continuation bytes of this UTF-8 sequence so one character takes one position.
    std::size_t extra = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 0;
    while (extra > 0 && i + 1 < raw.size() && (static_cast<unsigned char>(raw[i + 1]) & 0xC0) == 0x80) {
      ++i;
      --extra;
    }
    out.push_back('?');
  }
  return out;
}

Format guess_format(const std::vector<std::string>& lines) {
  if (lines.size() == 3) return Format::TD1;
  if (lines.size() != 2) return Format::Unknown;
  const auto longest = std::max(lines[0].size(), lines[1].size());
  const bool wide = std::abs(static_cast<int>(longest) - 44) < std::abs(static_cast<int>(longest) - 36);
  const bool visa = !lines[0].empty() && lines[0][0] == 'V';
  if (wide) return visa ? Format::MRVA : Format::TD3;
  return visa ? Format::MRVB : Format::TD2;
}

std::size_t line_length(Format format) {
  switch (format) {
    case Format::TD1: return 30;
    case Format::TD2:
    case Format::MRVB: return 36;
    case Format::TD3:
    case Format::MRVA: return 44;
    case Format::Unknown: break;
  }
  return 0;
}

}  // namespace

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find('\n', start);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

Normalised normalise(std::span<const std::string_view> raw_lines) {
  Normalised out;
  std::size_t total = 0;
  for (const auto line : raw_lines) total += line.size();
  if (total > kMaxInputBytes) {
    out.problems.push_back(unusable("the input has " + std::to_string(total) + " bytes; an MRZ has at most 90 characters",
                                    "input.too_long", {{"bytes", std::to_string(total)}}));
    return out;
  }

  LineFixes fixes;
  for (const auto raw : raw_lines) {
    std::string line = clean_line(raw, fixes);
    if (!line.empty()) out.lines.push_back(std::move(line));
  }
  if (fixes.spaces) {
    out.problems.push_back(fixed(0, "removed " + count(fixes.spaces, "space"), "input.spaces_removed",
                                 {{"n", std::to_string(fixes.spaces)}}));
  }
  if (fixes.lower_case) {
    out.problems.push_back(fixed(0, "changed " + count(fixes.lower_case, "lower-case letter") + " to upper case",
                                 "input.lower_case", {{"n", std::to_string(fixes.lower_case)}}));
  }
  if (fixes.guillemets) {
    out.problems.push_back(fixed(0, "read " + count(fixes.guillemets, "'\u00ab'") + " as the filler '<'",
                                 "input.guillemets", {{"n", std::to_string(fixes.guillemets)}}));
  }

  if (out.lines.empty()) {
    out.problems.push_back(unusable("the input is empty", "input.empty"));
    return out;
  }
  // A whole MRZ typed or pasted as one line.
  if (out.lines.size() == 1) {
    const std::string whole = out.lines[0];
    const std::size_t width = whole.size() == 90 ? 30 : whole.size() == 88 ? 44 : whole.size() == 72 ? 36 : 0;
    if (width != 0) {
      out.lines.clear();
      for (std::size_t i = 0; i < whole.size(); i += width) out.lines.push_back(whole.substr(i, width));
      out.problems.push_back(fixed(0,
                                   "split one line of " + std::to_string(whole.size()) + " characters into " +
                                       std::to_string(out.lines.size()) + " lines of " + std::to_string(width),
                                   "input.split",
                                   {{"length", std::to_string(whole.size())},
                                    {"lines", std::to_string(out.lines.size())},
                                    {"width", std::to_string(width)}}));
    }
  }
  if (out.lines.size() < 2 || out.lines.size() > 3) {
    out.problems.push_back(unusable("an MRZ has 2 or 3 lines; the input has " + std::to_string(out.lines.size()),
                                    "input.line_count", {{"lines", std::to_string(out.lines.size())}}));
    return out;
  }

  const Format format = guess_format(out.lines);
  const std::size_t width = line_length(format);
  for (std::size_t i = 0; i < out.lines.size(); ++i) {
    auto& line = out.lines[i];
    const int number = static_cast<int>(i) + 1;
    const int difference = static_cast<int>(line.size()) - static_cast<int>(width);
    if (difference == 0) continue;
    // The name line often arrives without its trailing fillers (typed by hand): pad it freely.
    const bool name_line = i == (format == Format::TD1 ? 2U : 0U);
    if (std::abs(difference) > kLengthTolerance && !(name_line && difference < 0)) {
      out.problems.push_back(unusable("line " + std::to_string(number) + " has " + std::to_string(line.size()) +
                                          " characters; a " + std::string(to_string(format)) + " line has " +
                                          std::to_string(width),
                                      "line.wrong_length",
                                      {{"line", std::to_string(number)},
                                       {"length", std::to_string(line.size())},
                                       {"format", std::string(to_string(format))},
                                       {"width", std::to_string(width)}}));
      out.lines.clear();
      return out;
    }
    if (difference > 0) {
      const bool only_fillers = std::all_of(line.begin() + static_cast<std::ptrdiff_t>(width), line.end(),
                                            [](char c) { return c == '<'; });
      out.problems.push_back(Problem{
          "line " + std::to_string(number), number, static_cast<int>(width) + 1,
          only_fillers ? Severity::Fixed : Severity::Error,
          "line " + std::to_string(number) + " has " + std::to_string(line.size()) + " characters; removed the last " +
              count(static_cast<std::size_t>(difference), "character") +
              (only_fillers ? " (fillers)" : ", which were not fillers"),
          only_fillers ? "line.extra_fillers" : "line.extra_characters",
          {{"line", std::to_string(number)}, {"length", std::to_string(line.size())}, {"n", std::to_string(difference)}}});
      line.resize(width);
    } else {
      out.problems.push_back(fixed(number,
                                   "line " + std::to_string(number) + " has " + std::to_string(line.size()) +
                                       " characters; filled the missing " +
                                       count(static_cast<std::size_t>(-difference), "position") + " at the end with '<'",
                                   "line.padded",
                                   {{"line", std::to_string(number)},
                                    {"length", std::to_string(line.size())},
                                    {"n", std::to_string(-difference)}}));
      // Outside the name line the missing characters may have been data, not fillers.
      if (!name_line) out.problems.back().severity = Severity::Warning;
      line.resize(width, '<');
    }
  }
  out.format = format;
  return out;
}

}  // namespace mrz::detail
