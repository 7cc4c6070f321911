// parse(): from MRZ text to a validated Document, driven by the layout tables.
#include <algorithm>
#include <initializer_list>

#include "check_digit.hpp"
#include "dates.hpp"
#include "layout.hpp"
#include "mrz/countries.hpp"
#include "mrz/mrz.hpp"
#include "names.hpp"
#include "normalize.hpp"

namespace mrz {

std::string_view to_string(Format format) {
  switch (format) {
    case Format::TD1: return "TD1";
    case Format::TD2: return "TD2";
    case Format::TD3: return "TD3";
    case Format::MRVA: return "MRVA";
    case Format::MRVB: return "MRVB";
    case Format::Unknown: break;
  }
  return "unknown";
}

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Fixed: return "fixed";
  }
  return "error";
}

bool Document::valid() const {
  return usable() && std::none_of(problems.begin(), problems.end(),
                                  [](const Problem& p) { return p.severity == Severity::Error; });
}

const CheckDigit* Document::check(std::string_view field) const {
  for (const auto& c : checks) {
    if (c.field == field) return &c;
  }
  return nullptr;
}

namespace {

using detail::Layout;
using detail::Slot;
using detail::Span;

std::string_view strip_fillers(std::string_view text) {
  while (!text.empty() && text.back() == '<') text.remove_suffix(1);
  return text;
}

const char* describe(std::string_view field) {
  if (field == "document_number") return "document number";
  if (field == "birth_date") return "date of birth";
  if (field == "expiry_date") return "date of expiry";
  if (field == "optional_data") return "optional data";
  if (field == "issuing_state") return "issuing state";
  if (field == "document_code") return "document code";
  if (field == "optional_data_2") return "optional data";
  return field.data();
}

class Parser {
 public:
  Parser(const Layout& layout, Document& doc, std::chrono::year_month_day as_of)
      : layout_(layout), doc_(doc), as_of_(as_of) {}

  void run() {
    check_characters();
    decode_document_code();
    decode_country(Slot::IssuingState, doc_.issuing_state);
    decode_country(Slot::Nationality, doc_.nationality);
    decode_name();
    decode_document_number();
    decode_date(Slot::BirthDate, detail::DateKind::Birth, doc_.birth_date);
    decode_date(Slot::ExpiryDate, detail::DateKind::Expiry, doc_.expiry_date);
    decode_sex();
    decode_optional_data();
    verify_dates_and_composite();
  }

 private:
  const Span& span(Slot slot) const { return *detail::find_span(layout_, slot); }
  bool has(Slot slot) const { return detail::find_span(layout_, slot) != nullptr; }

  std::string_view text(const Span& s) const {
    return std::string_view(doc_.lines[s.line]).substr(s.start, s.length);
  }
  std::string_view text(Slot slot) const { return text(span(slot)); }

  Field field_at(const Span& s) const {
    Field f;
    f.raw = std::string(text(s));
    f.line = s.line + 1;
    f.position = s.start + 1;
    return f;
  }

  void report(Severity severity, std::string field, int line, int position, std::string message, std::string code,
              MessageArgs args = {}) {
    doc_.problems.push_back(
        Problem{std::move(field), line, position, severity, std::move(message), std::move(code), std::move(args)});
  }

  void check_characters() {
    for (const auto& s : layout_.spans) {
      const auto cls = detail::char_class(s.slot);
      const auto chars = text(s);
      for (std::size_t i = 0; i < chars.size(); ++i) {
        if (detail::allowed(cls, chars[i])) continue;
        const std::string shown = chars[i] == '?' ? "a non-ASCII character" : std::string("'") + chars[i] + "'";
        const char* field = detail::slot_name(s.slot);
        report(Severity::Error, field, s.line + 1, s.start + static_cast<int>(i) + 1,
               shown + " is not allowed in the " + describe(field) + expectation(cls),
               chars[i] == '?' ? "character.not_ascii" : "character.not_allowed",
               {{"character", std::string(1, chars[i])}, {"field", field}, {"allowed", allowed_name(cls)}});
      }
    }
  }

  static const char* allowed_name(detail::CharClass cls) {
    switch (cls) {
      case detail::CharClass::Letters: return "letters";
      case detail::CharClass::Digits: return "digits";
      case detail::CharClass::DigitsOrFiller: return "digits_or_filler";
      case detail::CharClass::Alphanumeric: return "alphanumeric";
      case detail::CharClass::Sex: return "sex";
    }
    return "";
  }

  static const char* expectation(detail::CharClass cls) {
    switch (cls) {
      case detail::CharClass::Letters: return " (letters and '<' only)";
      case detail::CharClass::Digits: return " (digits only)";
      case detail::CharClass::DigitsOrFiller: return " (digits, or '<' where unknown)";
      case detail::CharClass::Alphanumeric: return " (letters, digits and '<' only)";
      case detail::CharClass::Sex: return " (M, F, X or '<')";
    }
    return "";
  }

  void decode_document_code() {
    const auto& s = span(Slot::DocumentCode);
    doc_.document_code = field_at(s);
    doc_.document_code.value = std::string(strip_fillers(doc_.document_code.raw));
    const char first = doc_.document_code.raw[0];
    const char second = doc_.document_code.raw[1];
    const int line = s.line + 1;
    if (first == '<') {
      report(Severity::Error, "document_code", line, 1, "the document code is missing", "document_code.missing");
      return;
    }
    switch (layout_.format) {
      case Format::TD3:
        if (first != 'P')
          report(Severity::Warning, "document_code", line, 1, "a TD3 document code starts with 'P' (passport)",
                 "document_code.td3");
        break;
      case Format::TD1:
      case Format::TD2:
        if (first != 'A' && first != 'C' && first != 'I')
          report(Severity::Warning, "document_code", line, 1, "a TD1/TD2 document code starts with 'A', 'C' or 'I'",
                 "document_code.td1_td2");
        if (second == 'V')
          report(Severity::Warning, "document_code", line, 2, "'V' is not used as the second character of a TD1/TD2 code",
                 "document_code.second_v");
        if (first == 'A' && second == 'I')
          report(Severity::Warning, "document_code", line, 2, "'AI' is not used as a TD1/TD2 document code",
                 "document_code.ai");
        if (first == 'A' && second == 'C')
          report(Severity::Warning, "document_code", line, 2,
                 "'AC' is reserved for crew member certificates (TD1) and not used on TD2", "document_code.ac_on_td2");
        break;
      default: break;
    }
  }

  void decode_country(Slot slot, Field& out) {
    const auto& s = span(slot);
    out = field_at(s);
    out.value = std::string(strip_fillers(out.raw));
    const char* name = detail::slot_name(slot);
    if (out.value.empty()) {
      report(Severity::Error, name, out.line, out.position, std::string("the ") + describe(name) + " code is missing",
             "country.missing", {{"field", name}});
    } else if (out.value.find('<') != std::string::npos) {
      report(Severity::Error, name, out.line, out.position,
             "'" + out.raw + "' is not a code: fillers may only follow the letters", "country.inner_filler",
             {{"field", name}, {"code", out.raw}});
    } else if (!find_country(out.value) && std::all_of(out.value.begin(), out.value.end(),
                                                      [](char c) { return c >= 'A' && c <= 'Z'; })) {
      report(Severity::Warning, name, out.line, out.position,
             "'" + out.value + "' is not a known state or organisation code (Doc 9303 Part 3)", "country.unknown",
             {{"field", name}, {"code", out.value}});
    }
  }

  void decode_name() {
    const auto& s = span(Slot::Name);
    const auto raw = text(s);
    const auto split = detail::split_name(raw);
    const auto separator = raw.find("<<");
    const auto primary_length = separator == std::string_view::npos ? raw.size() : separator;
    doc_.surname = field_at(s);
    doc_.surname.raw = std::string(raw.substr(0, primary_length));
    doc_.surname.value = split.primary;
    doc_.given_names = field_at(s);
    if (separator != std::string_view::npos) {
      doc_.given_names.raw = std::string(raw.substr(separator + 2));
      doc_.given_names.position = s.start + static_cast<int>(separator) + 3;
    } else {
      doc_.given_names.raw.clear();
    }
    doc_.given_names.value = split.secondary;
    doc_.name_possibly_truncated = split.possibly_truncated;

    const int line = s.line + 1;
    if (split.primary.empty() && split.secondary.empty()) {
      report(Severity::Error, "name", line, s.start + 1, "the name field is empty", "name.empty");
    } else if (raw.front() == '<') {
      report(Severity::Warning, "name", line, s.start + 1,
             "the name field starts with a filler: the primary identifier (surname) is missing", "name.no_surname");
    }
    if (separator != std::string_view::npos) {
      const auto rest = raw.substr(separator + 2);
      const auto last_letter = rest.find_last_not_of('<');
      const auto second =
          last_letter == std::string_view::npos ? std::string_view::npos : rest.substr(0, last_letter).find("<<");
      if (second != std::string_view::npos) {
        report(Severity::Warning, "name", line, s.start + static_cast<int>(separator) + 3 + static_cast<int>(second),
               "a second '<<' inside the name: only one separates the surname from the given names",
               "name.second_separator");
      }
    }
    if (split.possibly_truncated) {
      report(Severity::Warning, "name", line, s.start + s.length,
             "the name fills the whole field and may have been truncated; compare with the data page",
             "name.truncated");
    }
  }

  void verify(std::string field, std::initializer_list<std::string_view> data, int line, int position,
              char printed, bool filler_allowed_when_empty = false) {
    detail::CheckDigitSum sum;
    bool empty = true;
    for (const auto part : data) {
      sum.add(part);
      empty = empty && std::all_of(part.begin(), part.end(), [](char c) { return c == '<'; });
    }
    CheckDigit check{field, printed, sum.digit(), line, position, false};
    check.ok = sum.valid() && (printed == check.computed || (filler_allowed_when_empty && empty && printed == '<'));
    const std::string what = describe(field);
    const MessageArgs args{{"field", field}, {"printed", std::string(1, printed)}, {"computed", std::string(1, check.computed)}};
    if (!sum.valid()) {
      report(Severity::Error, field, line, position,
             "the " + what + " check digit cannot be verified: the data has characters that are not allowed",
             "check_digit.unverifiable", {{"field", field}});
    } else if (!check.ok) {
      if (printed >= '0' && printed <= '9') {
        report(Severity::Error, field, line, position,
               "the " + what + " check digit is " + printed + " but the data computes to " + check.computed,
               "check_digit.wrong", args);
      } else {
        report(Severity::Error, field, line, position,
               "the " + what + " check digit is '" + printed + "', not a digit; the data computes to " +
                   check.computed,
               "check_digit.not_digit", args);
      }
    }
    doc_.checks.push_back(std::move(check));
  }

  // TD1/TD2 long document numbers (Part 5 note j, Part 6 note j): the check digit position holds
  // '<', the number continues in the optional data and ends with its check digit and a filler.
  void decode_document_number() {
    const auto& number = span(Slot::DocumentNumber);
    const auto& check = span(Slot::DocumentNumberCheck);
    const auto& optional = span(Slot::OptionalData);
    doc_.document_number = field_at(number);
    const char printed = text(check)[0];
    const auto optional_text = text(optional);
    if (layout_.long_document_number && printed == '<' && optional_text[0] != '<') {
      doc_.long_document_number = true;
      auto end = optional_text.find('<');
      const bool filler_follows = end != std::string_view::npos;
      if (!filler_follows) end = optional_text.size();
      if (text(number).find('<') != std::string_view::npos) {
        report(Severity::Error, "document_number", number.line + 1, number.start + 1,
               "a long document number fills all nine principal positions", "document_number.long_not_full");
      }
      if (!filler_follows) {
        report(Severity::Error, "document_number", optional.line + 1, optional.start + optional.length,
               "a long document number's check digit is followed by a filler '<'", "document_number.long_no_filler");
      }
      if (end < 2) {
        report(Severity::Error, "document_number", optional.line + 1, optional.start + 1,
               "a long document number continues in the optional data with at least one character and its check "
               "digit",
               "document_number.long_too_short");
        verify("document_number", {text(number)}, check.line + 1, check.start + 1, printed);
        doc_.document_number.value = std::string(strip_fillers(text(number)));
        return;
      }
      const auto continuation = optional_text.substr(0, end - 1);
      doc_.document_number.raw = std::string(text(number)) + std::string(continuation);
      doc_.document_number.value = doc_.document_number.raw;
      verify("document_number", {text(number), continuation}, optional.line + 1,
             optional.start + static_cast<int>(end), optional_text[end - 1]);
      return;
    }
    doc_.document_number.value = std::string(strip_fillers(doc_.document_number.raw));
    if (doc_.document_number.value.empty()) {
      report(Severity::Error, "document_number", number.line + 1, number.start + 1, "the document number is missing",
             "document_number.missing");
    }
    verify("document_number", {text(number)}, check.line + 1, check.start + 1, printed);
  }

  void decode_date(Slot slot, detail::DateKind kind, Date& out) {
    const auto& s = span(slot);
    auto why = detail::decode_date(text(s), kind, as_of_, out);
    const char* name = detail::slot_name(slot);
    if (why) {
      why.args.insert(why.args.begin(), {"field", name});
      report(Severity::Error, name, s.line + 1, s.start + 1, std::string("the ") + describe(name) + ": " + why.message,
             std::move(why.code), std::move(why.args));
    }
    const auto& check = span(slot == Slot::BirthDate ? Slot::BirthDateCheck : Slot::ExpiryDateCheck);
    verify(name, {text(s)}, check.line + 1, check.start + 1, text(check)[0]);
  }

  void decode_sex() {
    doc_.sex = field_at(span(Slot::Sex));
    doc_.sex.value = doc_.sex.raw == "<" ? "" : doc_.sex.raw;
  }

  void decode_optional_data() {
    const auto& s = span(Slot::OptionalData);
    doc_.optional_data = field_at(s);
    auto value = text(s);
    if (doc_.long_document_number) {
      // Skip the continuation, its check digit and the filler after it.
      const auto end = value.find('<');
      value = end == std::string_view::npos ? std::string_view{} : value.substr(end + 1);
      while (!value.empty() && value.front() == '<') value.remove_prefix(1);
    }
    doc_.optional_data.value = std::string(strip_fillers(value));
    if (has(Slot::OptionalDataCheck)) {
      const auto& check = span(Slot::OptionalDataCheck);
      // Part 4: with an empty personal number the check digit may be '0' or '<'.
      verify("optional_data", {text(s)}, check.line + 1, check.start + 1, text(check)[0], true);
    }
    if (has(Slot::OptionalData2)) {
      const auto& s2 = span(Slot::OptionalData2);
      doc_.optional_data_2 = field_at(s2);
      doc_.optional_data_2.value = std::string(strip_fillers(text(s2)));
    }
  }

  void verify_dates_and_composite() {
    const auto& birth = doc_.birth_date;
    const auto& expiry = doc_.expiry_date;
    if (birth.complete() && expiry.complete()) {
      const auto b = std::chrono::year{birth.year} / birth.month / birth.day;
      const auto e = std::chrono::year{expiry.year} / expiry.month / expiry.day;
      if (b.ok() && e.ok() && std::chrono::sys_days{b} > std::chrono::sys_days{e}) {
        const auto& s = span(Slot::BirthDate);
        report(Severity::Warning, "birth_date", s.line + 1, s.start + 1, "the date of birth is after the date of expiry",
               "date.birth_after_expiry");
      }
    }
    if (layout_.composite.empty()) return;
    detail::CheckDigitSum sum;
    for (const auto& range : layout_.composite) {
      sum.add(std::string_view(doc_.lines[range.line]).substr(range.start, range.length));
    }
    const auto& check = span(Slot::CompositeCheck);
    const char printed = text(check)[0];
    CheckDigit composite{"composite", printed, sum.digit(), check.line + 1, check.start + 1,
                         sum.valid() && printed == sum.digit()};
    if (!composite.ok) {
      if (sum.valid()) {
        report(Severity::Error, "composite", composite.line, composite.position,
               std::string("the composite check digit is '") + printed + "' but the data computes to " + composite.computed,
               "check_digit.wrong",
               {{"field", "composite"}, {"printed", std::string(1, printed)}, {"computed", std::string(1, composite.computed)}});
      } else {
        report(Severity::Error, "composite", composite.line, composite.position,
               "the composite check digit cannot be verified: the data has characters that are not allowed",
               "check_digit.unverifiable", {{"field", "composite"}});
      }
    }
    doc_.checks.push_back(std::move(composite));
  }

  const Layout& layout_;
  Document& doc_;
  std::chrono::year_month_day as_of_;
};

Document parse_lines(std::span<const std::string_view> raw_lines, const ParseOptions& options) {
  auto normalised = detail::normalise(raw_lines);
  Document doc;
  doc.format = normalised.format;
  doc.lines = std::move(normalised.lines);
  doc.problems = std::move(normalised.problems);
  const auto* layout = detail::layout_for(doc.format);
  if (layout == nullptr) {
    doc.format = Format::Unknown;
    return doc;
  }
  Parser(*layout, doc, options.as_of.value_or(detail::today_utc())).run();
  return doc;
}

}  // namespace

Document parse(std::string_view text, const ParseOptions& options) {
  if (text.size() > detail::kMaxInputBytes) {
    // Do not even split a huge input into lines.
    const std::string_view head[] = {text};
    return parse_lines(head, options);
  }
  const auto lines = detail::split_lines(text);
  return parse_lines(lines, options);
}

Document parse(std::span<const std::string> lines, const ParseOptions& options) {
  std::vector<std::string_view> views;
  views.reserve(lines.size());
  for (const auto& line : lines) {
    // A caller may pass the whole text as one string.
    for (const auto piece : detail::split_lines(line)) views.push_back(piece);
  }
  return parse_lines(views, options);
}

}  // namespace mrz
