// format(): field values in, a correct MRZ out (used by tests, samples and the scanner simulator).
#include <algorithm>

#include "check_digit.hpp"
#include "dates.hpp"
#include "layout.hpp"
#include "mrz/countries.hpp"
#include "mrz/mrz.hpp"
#include "names.hpp"

namespace mrz {

std::string Formatted::text() const {
  std::string out;
  for (const auto& line : lines) {
    if (!out.empty()) out.push_back('\n');
    out += line;
  }
  return out;
}

namespace {

using detail::Slot;
using detail::Span;

// Upper case; spaces and punctuation become fillers (Part 4: "special characters or spaces in the
// number shall be replaced by the filler character").
std::string to_mrz_characters(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char raw : value) {
    char c = raw;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<';
    out.push_back(ok ? c : '<');
  }
  return out;
}

class Formatter {
 public:
  Formatter(const detail::Layout& layout, Formatted& out) : layout_(layout), out_(out) {
    lines_.assign(layout.line_count, std::string(layout.line_length, '<'));
  }

  void put(Slot slot, std::string_view value) {
    const auto* s = detail::find_span(layout_, slot);
    if (s == nullptr) return;
    if (value.size() > s->length) {
      std::string message = "the value has ";
      message += std::to_string(value.size());
      message += " characters; the field has ";
      message += std::to_string(s->length);
      error(detail::slot_name(slot), std::move(message), "format.too_long",
            {{"field", detail::slot_name(slot)}, {"length", std::to_string(value.size())}, {"width", std::to_string(s->length)}});
      value = value.substr(0, s->length);
    }
    lines_[s->line].replace(s->start, value.size(), value);
  }

  std::string_view get(Slot slot) const {
    const auto* s = detail::find_span(layout_, slot);
    return std::string_view(lines_[s->line]).substr(s->start, s->length);
  }

  void put_check(Slot check_slot, std::string_view data) {
    put(check_slot, std::string(1, check_of(data)));
  }

  static char check_of(std::string_view data) {
    detail::CheckDigitSum sum;
    sum.add(data);
    return sum.digit();
  }

  void error(std::string field, std::string message, std::string code, MessageArgs args = {}) {
    out_.problems.push_back(Problem{std::move(field), 0, 0, Severity::Error, std::move(message), std::move(code), std::move(args)});
  }
  void warning(std::string field, std::string message, std::string code, MessageArgs args = {}) {
    out_.problems.push_back(Problem{std::move(field), 0, 0, Severity::Warning, std::move(message), std::move(code), std::move(args)});
  }

  void finish() {
    if (!layout_.composite.empty()) {
      detail::CheckDigitSum sum;
      for (const auto& r : layout_.composite) sum.add(std::string_view(lines_[r.line]).substr(r.start, r.length));
      put(Slot::CompositeCheck, std::string(1, sum.digit()));
    }
    const bool failed = std::any_of(out_.problems.begin(), out_.problems.end(),
                                    [](const Problem& p) { return p.severity == Severity::Error; });
    if (!failed) out_.lines = std::move(lines_);
  }

  const detail::Layout& layout() const { return layout_; }

 private:
  const detail::Layout& layout_;
  Formatted& out_;
  std::vector<std::string> lines_;
};

std::string default_code(Format format) {
  switch (format) {
    case Format::TD3: return "P";
    case Format::MRVA:
    case Format::MRVB: return "V";
    default: return "I";
  }
}

// 'value' (built by appending: GCC 12 warns falsely on "'" + std::string).
std::string quoted(std::string_view value) {
  std::string out(1, '\'');
  out.append(value).push_back('\'');
  return out;
}

void put_country(Formatter& f, Slot slot, std::string_view value) {
  const std::string code = to_mrz_characters(value);
  if (code.empty() || code.size() > 3 || !std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    f.error(detail::slot_name(slot), quoted(value).append(" is not a three-letter code"), "format.not_a_code",
            {{"field", detail::slot_name(slot)}, {"code", std::string(value)}});
    return;
  }
  if (!find_country(code)) {
    f.warning(detail::slot_name(slot), quoted(code).append(" is not a known code"), "country.unknown",
              {{"field", detail::slot_name(slot)}, {"code", code}});
  }
  f.put(slot, code);
}

void put_date(Formatter& f, Slot slot, Slot check, const Date& date, bool must_be_complete) {
  if (must_be_complete && !date.complete()) {
    f.error(detail::slot_name(slot), "the date of expiry must be complete", "date.expiry_incomplete",
            {{"field", detail::slot_name(slot)}});
    return;
  }
  const bool month_ok = date.month >= 0 && date.month <= 12;
  const bool day_ok = date.day >= 0 && date.day <= 31;
  const bool exists = date.year == 0 || date.month == 0 || date.day == 0 ||
                      std::chrono::year_month_day{std::chrono::year{date.year}, std::chrono::month{static_cast<unsigned>(date.month)},
                                                  std::chrono::day{static_cast<unsigned>(date.day)}}
                          .ok();
  if (!month_ok || !day_ok || !exists || date.year < 0) {
    std::string message = "the date ";
    message.append(date.iso()).append(" does not exist");
    f.error(detail::slot_name(slot), std::move(message), "format.no_such_date",
            {{"field", detail::slot_name(slot)}, {"date", date.iso()}});
    return;
  }
  const auto yymmdd = detail::encode_date(date);
  f.put(slot, yymmdd);
  f.put_check(check, yymmdd);
}

void put_document_number(Formatter& f, std::string_view raw, std::string& optional_data) {
  const std::string number = to_mrz_characters(raw);
  if (number.size() <= 9) {
    f.put(Slot::DocumentNumber, number);
    f.put_check(Slot::DocumentNumberCheck, f.get(Slot::DocumentNumber));
    return;
  }
  if (!f.layout().long_document_number) {
    f.error("document_number",
            "the document number has " + std::to_string(number.size()) + " characters; a " +
                std::string(to_string(f.layout().format)) + " MRZ holds 9",
            "format.number_too_long",
            {{"length", std::to_string(number.size())}, {"format", std::string(to_string(f.layout().format))}});
    return;
  }
  // Part 5/6 note j: 9 principal characters, '<' instead of the check digit, the rest at the start
  // of the optional data followed by the check digit and a filler.
  const std::string continuation = number.substr(9);
  f.put(Slot::DocumentNumber, number.substr(0, 9));
  f.put(Slot::DocumentNumberCheck, "<");
  std::string moved = continuation;
  moved.push_back(Formatter::check_of(number));
  moved.push_back('<');
  moved.append(optional_data);
  optional_data = std::move(moved);
}

}  // namespace

Formatted format(const DocumentFields& fields) {
  Formatted out;
  const auto* layout = detail::layout_for(fields.format);
  if (layout == nullptr) {
    out.problems.push_back(Problem{"format", 0, 0, Severity::Error, "choose a layout: TD1, TD2, TD3, MRVA or MRVB", "format.no_layout", {}});
    return out;
  }
  Formatter f(*layout, out);

  std::string code = to_mrz_characters(fields.document_code.empty() ? default_code(fields.format) : fields.document_code);
  if (code.size() > 2 || code.empty() || code[0] < 'A' || code[0] > 'Z') {
    f.error("document_code", "a document code is one or two letters", "format.document_code");
  } else {
    f.put(Slot::DocumentCode, code);
  }
  put_country(f, Slot::IssuingState, fields.issuing_state);
  put_country(f, Slot::Nationality, fields.nationality);

  const auto* name_span = detail::find_span(*layout, Slot::Name);
  bool truncated = false;
  int dropped_surname = 0;
  int dropped_given = 0;
  const std::string primary = detail::transliterate_name(fields.surname, dropped_surname);
  const std::string secondary = detail::transliterate_name(fields.given_names, dropped_given);
  if (primary.empty()) f.error("name", "the surname (primary identifier) is empty", "name.empty");
  if (dropped_surname + dropped_given > 0) {
    const std::string dropped = std::to_string(dropped_surname + dropped_given);
    f.warning("name", dropped + " letter(s) of the name have no transliteration in Doc 9303 Part 3 and were left out",
              "format.name_letters_dropped", {{"n", dropped}});
  }
  f.put(Slot::Name, detail::encode_name(primary, secondary, name_span->length, truncated));
  if (truncated) {
    const std::string width = std::to_string(name_span->length);
    f.warning("name", "the name was truncated to fit the " + width + " positions", "format.name_truncated",
              {{"width", width}});
  }

  std::string optional_data = to_mrz_characters(fields.optional_data);
  put_document_number(f, fields.document_number, optional_data);
  put_date(f, Slot::BirthDate, Slot::BirthDateCheck, fields.birth_date, false);
  put_date(f, Slot::ExpiryDate, Slot::ExpiryDateCheck, fields.expiry_date, true);
  const char sex = fields.sex >= 'a' && fields.sex <= 'z' ? static_cast<char>(fields.sex - 32) : fields.sex;
  if (sex != 'M' && sex != 'F' && sex != 'X' && sex != '<') {
    f.error("sex", std::string("sex is M, F, X or '<', not '") + fields.sex + "'", "format.sex",
            {{"sex", std::string(1, fields.sex)}});
  } else {
    f.put(Slot::Sex, std::string(1, sex));
  }
  f.put(Slot::OptionalData, optional_data);
  if (detail::find_span(*layout, Slot::OptionalDataCheck) != nullptr) {
    const auto personal = f.get(Slot::OptionalData);
    const bool empty = std::all_of(personal.begin(), personal.end(), [](char c) { return c == '<'; });
    if (empty && fields.personal_number_check_as_filler) {
      f.put(Slot::OptionalDataCheck, "<");
    } else {
      f.put_check(Slot::OptionalDataCheck, personal);
    }
  }
  if (!fields.optional_data_2.empty()) {
    if (detail::find_span(*layout, Slot::OptionalData2) == nullptr) {
      f.error("optional_data_2", "only TD1 has a second optional data field", "format.optional_data_2");
    } else {
      f.put(Slot::OptionalData2, to_mrz_characters(fields.optional_data_2));
    }
  }
  f.finish();
  return out;
}

}  // namespace mrz
