// `borderpost mrz parse`: validates MRZ text given as arguments or on standard input.
#include "mrz_cli/mrz_command.hpp"

#include <unistd.h>

#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "mrz/countries.hpp"
#include "mrz/mrz.hpp"
#include "mrz/json.hpp"
#include "mrz_optical/read.hpp"

namespace mrz::cli {
namespace {

constexpr int kExitValid = 0;
constexpr int kExitInvalid = 1;
constexpr int kExitUnusable = 2;
constexpr int kExitNotFound = 3;
constexpr int kExitNeedsReview = 4;  // mrz read: every check passes, but a field needs a person's look

struct ParseArgs {
  std::vector<std::string> lines;
  bool json = false;
  std::string as_of;
};

// Documents on standard input are separated by blank lines.
std::vector<std::vector<std::string>> read_blocks(std::istream& in) {
  std::vector<std::vector<std::string>> blocks(1);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) {
      if (!blocks.back().empty()) blocks.emplace_back();
      continue;
    }
    blocks.back().push_back(line);
  }
  if (blocks.back().empty()) blocks.pop_back();
  return blocks;
}

std::optional<std::chrono::year_month_day> parse_iso_date(const std::string& text) {
  // YYYY-MM-DD exactly.
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t lengths[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (std::size_t k = 0; k < lengths[i]; ++k) {
      const char c = text[starts[i] + k];
      if (c < '0' || c > '9') return std::nullopt;
      parts[i] = parts[i] * 10 + (c - '0');
    }
  }
  const std::chrono::year_month_day date{std::chrono::year{parts[0]}, std::chrono::month{static_cast<unsigned>(parts[1])},
                                         std::chrono::day{static_cast<unsigned>(parts[2])}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string check_mark(const Document& doc, const char* field) {
  const auto* c = doc.check(field);
  if (c == nullptr) return "";
  return c->ok ? "  check ok" : "  check FAILED";
}

std::string with_country(const Field& f) {
  const auto found = find_country(f.value);
  return found ? f.value + "  (" + std::string(found->name) + ")" : f.value + "  (unknown code)";
}

void print_human(std::ostream& out, const Document& doc, std::size_t index, std::size_t count) {
  if (count > 1) out << "Document " << index + 1 << " of " << count << '\n';
  if (!doc.usable()) {
    out << "  Not an MRZ.\n";
  } else {
    out << "  " << to_string(doc.format) << (doc.valid() ? "  VALID" : "  INVALID") << '\n';
    auto row = [&](const char* label, const std::string& value) {
      out << "  " << std::left << std::setw(16) << label << (value.empty() ? "-" : value) << '\n';
    };
    for (const auto& line : doc.lines) out << "  | " << line << '\n';
    row("Document code", doc.document_code.value);
    row("Issuing state", with_country(doc.issuing_state));
    row("Surname", doc.surname.value + (doc.name_possibly_truncated ? "  (may be truncated)" : ""));
    row("Given names", doc.given_names.value);
    row("Document number", doc.document_number.value + check_mark(doc, "document_number"));
    row("Nationality", with_country(doc.nationality));
    row("Date of birth", doc.birth_date.iso() + check_mark(doc, "birth_date"));
    row("Sex", doc.sex.value.empty() ? "unspecified" : doc.sex.value);
    row("Date of expiry", doc.expiry_date.iso() + check_mark(doc, "expiry_date"));
    row("Optional data", doc.optional_data.value + check_mark(doc, "optional_data"));
    if (doc.format == Format::TD1) row("Optional data 2", doc.optional_data_2.value);
    if (doc.check("composite")) row("Composite", check_mark(doc, "composite").substr(2));
  }
  for (const auto& p : doc.problems) {
    out << "  " << to_string(p.severity) << ": " << p.message;
    if (p.line > 0 && p.position > 0) out << " (line " << p.line << ", position " << p.position << ")";
    out << '\n';
  }
}

// Fills options.as_of from --as-of; false (with a message) when the date is malformed.
bool apply_as_of(const std::string& as_of, const char* command, ParseOptions& options, std::ostream& err) {
  if (as_of.empty()) return true;
  options.as_of = parse_iso_date(as_of);
  if (options.as_of) return true;
  err << "borderpost mrz " << command << ": --as-of takes a date as YYYY-MM-DD, not '" << as_of << "'\n";
  return false;
}

int run_parse(const ParseArgs& args, Streams streams) {
  ParseOptions options;
  if (!apply_as_of(args.as_of, "parse", options, streams.err)) return kExitUnusable;
  std::vector<std::vector<std::string>> blocks;
  if (args.lines.empty()) {
    if (&streams.in == &std::cin && isatty(STDIN_FILENO)) {
      streams.err << "reading MRZ lines from standard input; a blank line separates documents, Ctrl-D ends\n";
    }
    blocks = read_blocks(streams.in);
  } else {
    blocks.push_back(args.lines);
  }
  if (blocks.empty()) {
    streams.err << "borderpost mrz parse: no MRZ given (pass the lines as arguments or on standard input)\n";
    return kExitUnusable;
  }
  int status = kExitValid;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const auto doc = parse(blocks[i], options);
    if (args.json) {
      streams.out << to_json(doc).dump() << '\n';
    } else {
      print_human(streams.out, doc, i, blocks.size());
    }
    if (!doc.usable()) {
      streams.err << "borderpost mrz parse: document " << i + 1 << " is not an MRZ: "
                  << (doc.problems.empty() ? "unreadable" : doc.problems.back().message) << '\n';
      status = kExitUnusable;
    } else if (!doc.valid() && status == kExitValid) {
      status = kExitInvalid;
    }
  }
  return status;
}

struct ReadArgs {
  std::vector<std::string> images;
  bool json = false;
  std::string as_of;
  std::string model;
};

// An MRZ was found and read (whatever its checks say).
bool read_something(optical::ReadStatus status) {
  return status == optical::ReadStatus::Valid || status == optical::ReadStatus::NeedsReview ||
         status == optical::ReadStatus::Invalid;
}

nlohmann::json read_json(const optical::ReadResult& r, const std::string& image) {
  nlohmann::json out = r.mrz.document.usable() && read_something(r.status)
                           ? to_json(r.mrz.document)
                           : nlohmann::json::object({{"valid", false}, {"format", nullptr}, {"lines", nlohmann::json::array()}});
  out["image"] = image;
  out["status"] = std::string(optical::to_string(r.status));
  if (!r.message.empty()) out["message"] = r.message;
  nlohmann::json quad = nlohmann::json::array();
  if (read_something(r.status)) {
    for (const auto& p : r.quad) quad.push_back({std::round(p.x * 10) / 10, std::round(p.y * 10) / 10});
  }
  out["quad"] = quad;
  out["orientation"] = r.orientation;
  nlohmann::json confidence = nlohmann::json::object();
  for (const auto& c : r.mrz.confidence) confidence[c.field] = std::round(c.confidence * 1000) / 1000;
  out["confidence"] = confidence;
  nlohmann::json repaired = nlohmann::json::array();
  for (const auto& c : r.mrz.changes) {
    repaired.push_back({{"field", c.field}, {"line", c.line}, {"position", c.position}, {"from", std::string(1, c.from)},
                        {"to", std::string(1, c.to)}});
  }
  out["repaired"] = repaired;
  out["uncertain"] = r.mrz.uncertain_fields;
  out["elapsed_ms"] = std::round(r.elapsed_ms * 10) / 10;
  return out;
}

int exit_code_of(optical::ReadStatus status) {
  switch (status) {
    case optical::ReadStatus::Valid: return kExitValid;
    case optical::ReadStatus::NeedsReview: return kExitNeedsReview;
    case optical::ReadStatus::Invalid: return kExitInvalid;
    case optical::ReadStatus::NotFound: return kExitNotFound;
    case optical::ReadStatus::Unusable: return kExitUnusable;
  }
  return kExitUnusable;
}

// The worst outcome decides: unusable input, then no MRZ, then invalid, then needs review.
int worse(int a, int b) {
  auto rank = [](int code) {
    return code == kExitUnusable ? 4 : code == kExitNotFound ? 3 : code == kExitInvalid ? 2 : code == kExitNeedsReview ? 1 : 0;
  };
  return rank(a) >= rank(b) ? a : b;
}

int run_read(const ReadArgs& args, Streams streams) {
  optical::ReadOptions options;
  if (!apply_as_of(args.as_of, "read", options.parse, streams.err)) return kExitUnusable;
  std::unique_ptr<optical::Reader> reader;
  try {
    reader = std::make_unique<optical::Reader>(args.model);
  } catch (const std::exception& e) {
    streams.err << "borderpost mrz read: " << e.what() << '\n';
    return kExitUnusable;
  }
  int status = kExitValid;
  for (std::size_t i = 0; i < args.images.size(); ++i) {
    const auto& image = args.images[i];
    const auto result = reader->read_file(image, options);
    status = worse(status, exit_code_of(result.status));
    if (args.json) {
      streams.out << read_json(result, image).dump() << '\n';
    } else {
      streams.out << image << ": " << optical::to_string(result.status);
      if (!result.message.empty()) streams.out << " (" << result.message << ")";
      streams.out << ", " << static_cast<int>(result.elapsed_ms + 0.5) << " ms\n";
      if (read_something(result.status)) {
        streams.out << "  orientation " << result.orientation << " degrees";
        if (!result.mrz.changes.empty()) streams.out << ", " << result.mrz.changes.size() << " character(s) repaired";
        if (!result.mrz.uncertain_fields.empty()) {
          streams.out << ", uncertain:";
          for (const auto& f : result.mrz.uncertain_fields) streams.out << ' ' << f;
        }
        streams.out << '\n';
        print_human(streams.out, result.mrz.document, 0, 1);
      }
    }
    if (result.status == optical::ReadStatus::Unusable) streams.err << "borderpost mrz read: " << result.message << '\n';
  }
  return status;
}

}  // namespace

void add_mrz_commands(CLI::App& app, Streams streams, int& exit_code) {
  auto* group = app.add_subcommand("mrz", "Machine-readable zones (ICAO Doc 9303)");
  group->require_subcommand(1);
  auto args = std::make_shared<ParseArgs>();
  auto* parse_cmd = group->add_subcommand(
      "parse",
      "Parse and validate an MRZ (TD1, TD2, TD3, MRV-A, MRV-B).\n"
      "Lines come as arguments (one document) or on standard input (documents separated by blank lines).\n"
      "Exit status: 0 all documents valid, 1 a document failed a check, 2 input is not an MRZ or usage error.");
  parse_cmd->add_option("LINE", args->lines, "MRZ lines of one document");
  parse_cmd->add_flag("--json", args->json, "Print one JSON object per document");
  parse_cmd->add_option("--as-of", args->as_of, "Date for the century rule, YYYY-MM-DD (default: today)");
  parse_cmd->callback([args, streams, &exit_code] { exit_code = run_parse(*args, streams); });

  auto read_args = std::make_shared<ReadArgs>();
  auto* read_cmd = group->add_subcommand(
      "read",
      "Read the MRZ optically from page images (scanner pages or camera frames, any orientation).\n"
      "Exit status: 0 every MRZ valid, 1 an MRZ was read but fails a check, 2 unusable input (unreadable,\n"
      "not an image, truncated, too large) or usage error, 3 no MRZ found on an image, 4 every check\n"
      "passes but a field was hard to read and no check digit confirms it (see `uncertain`).");
  read_cmd->add_option("IMAGE", read_args->images, "Image files (PNG, JPEG, TIFF, BMP, ...)")->required();
  read_cmd->add_flag("--json", read_args->json, "Print one JSON object per image");
  read_cmd->add_option("--as-of", read_args->as_of, "Date for the century rule, YYYY-MM-DD (default: today)");
  read_cmd->add_option("--model", read_args->model, "OCR-B classifier model (default: the one the build trained)");
  read_cmd->callback([read_args, streams, &exit_code] { exit_code = run_read(*read_args, streams); });
}

}  // namespace mrz::cli
