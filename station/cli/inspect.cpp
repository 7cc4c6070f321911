// `borderpost inspect`: the MRZ and optical security checks on one document's page images from
// files, as a supervisor re-examining a scan runs them; the same checks and words as the desk.
#include <chrono>
#include <fstream>
#include <iterator>
#include <memory>

#include <nlohmann/json.hpp>

#include "mrz_optical/read.hpp"
#include "config/config.hpp"
#include "inspection/inspection.hpp"
#include "security/page_examiner.hpp"
#include "support.hpp"

namespace borderpost::station::cli {
namespace {

using nlohmann::json;

struct InspectArgs {
  std::string white, infrared, ultraviolet, date;
  std::string config;  // the post's rules (tolerances, age of majority, ...); default: built-in
  double dpi = 300;
  bool json = false;
};

std::vector<unsigned char> file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  return {std::istreambuf_iterator<char>(in), {}};
}

// An IR or UV image: a file that cannot be decoded is reported by its check, not as an error.
void load_light(const std::string& path, cv::Mat& image, bool& unusable) {
  if (path.empty()) return;
  image = mrz::optical::decode_page(file_bytes(path)).image;
  unusable = image.empty();
}

// The checks that need only the document: the MRZ's, the document's and the page's security
// features (the watch-list, movement and chip checks need a post).
bool document_check(const std::string& id) {
  for (const char* group : {"mrz.", "document.", "traveller.", "security."})
    if (id.rfind(group, 0) == 0) return true;
  return false;
}

int run(const InspectArgs& args, std::ostream& out) {
  std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  if (!args.date.empty()) {
    const auto parsed = parse_iso_day(args.date);
    if (!parsed) throw std::runtime_error("--date must be YYYY-MM-DD");
    day = *parsed;
  }
  security::PageImages images;
  images.dpi = args.dpi;
  auto white = mrz::optical::decode_page(file_bytes(args.white));
  if (white.image.empty()) throw std::runtime_error("the white-light image " + args.white + " is unusable: " + white.problem);
  images.white = white.image;
  load_light(args.infrared, images.infrared, images.infrared_unusable);
  load_light(args.ultraviolet, images.ultraviolet, images.ultraviolet_unusable);

  const mrz::optical::Reader reader;
  mrz::optical::ReadOptions options;
  options.parse.as_of = day;
  const auto read = reader.read(images.white, options);
  const security::PageExaminer examiner(reader);

  InspectionFacts facts;
  facts.document = read.mrz.document;
  facts.source = MrzSource::Optical;
  facts.optical_needs_review = read.status == mrz::optical::ReadStatus::NeedsReview;
  facts.uncertain_fields = read.mrz.uncertain_fields;
  facts.crossing_date = day;
  facts.security = examiner.examine(images, read);
  const auto verdict = inspect(facts, args.config.empty() ? Rules{} : load_station_rules(args.config));

  json checks = json::array();
  CheckStatus worst = CheckStatus::Pass;
  for (const auto& c : verdict.checks) {
    if (!document_check(c.id)) continue;
    checks.push_back({{"id", c.id}, {"status", to_string(c.status)}, {"reason", c.reason}, {"measurement", c.measurement}});
    if (c.status == CheckStatus::Fail || (c.status == CheckStatus::Warn && worst == CheckStatus::Pass)) worst = c.status;
  }
  const json lines = read.mrz.document.lines;
  json j = {{"read", mrz::optical::to_string(read.status)}, {"mrz", lines}, {"checks", checks}, {"verdict", to_string(worst)}};
  if (args.json) {
    out << j.dump(2) << "\n";
  } else {
    out << "MRZ: " << mrz::optical::to_string(read.status) << "\n";
    for (const auto& line : read.mrz.document.lines) out << "  " << line << "\n";
    for (const auto& c : checks) {
      out << "  " << c["status"].get<std::string>() << "\t" << c["id"].get<std::string>() << ": " << c["reason"].get<std::string>();
      if (!c["measurement"].get<std::string>().empty()) out << " [" << c["measurement"].get<std::string>() << "]";
      out << "\n";
    }
    out << "verdict: " << to_string(worst) << "\n";
  }
  return worst == CheckStatus::Fail ? 1 : 0;
}

}  // namespace

void add_inspect_command(CLI::App& app, std::ostream& out, std::ostream& err, int& exit_code) {
  auto args = std::make_shared<InspectArgs>();
  auto* cmd = app.add_subcommand("inspect",
                                 "Run the MRZ and optical security checks on one document's page images (white, IR, UV). "
                                 "Exit 0 when no check fails, 1 when one does, 2 when the document cannot be inspected");
  cmd->add_option("--white", args->white, "The page under white light (PNG, JPEG, TIFF, ...)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--ir", args->infrared, "The page under infrared light")->check(CLI::ExistingFile);
  cmd->add_option("--uv", args->ultraviolet, "The page under ultraviolet light")->check(CLI::ExistingFile);
  cmd->add_option("--dpi", args->dpi, "The images' resolution, for the MRZ's print geometry")->capture_default_str()->check(CLI::Range(100.0, 1200.0));
  cmd->add_option("--date", args->date, "Judge the dates as on this day (YYYY-MM-DD; default today)");
  cmd->add_option("--config", args->config, "Judge with this post's rules ([rules] and [rules.security] of its station configuration)")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--json", args->json, "JSON for machines: {\"checks\": [{\"id\", \"status\", \"reason\", \"measurement\"}], \"verdict\"}");
  // Exit 2 when the document could not be inspected at all, so a script tells it from a failed check.
  cmd->callback(guarded(err, exit_code, "inspect", [args, &out] { return run(*args, out); }, 2));
}

}  // namespace borderpost::station::cli
