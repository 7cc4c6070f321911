// Renders the sample documents the simulated full-page reader is fed from (config/samples/): one
// folder per document with its white, infrared and ultraviolet captures, and samples.toml, the
// manifest that says what the station must make of each one.
//   make_station_samples --out DIR [--check]
// --check reads every written sample back with the optical reader and fails unless the status and
// the lines are the manifest's. The output is deterministic: every random number comes from a seed.
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <toml++/toml.h>

#include "mrz/mrz.hpp"
#include "mrz_optical/read.hpp"
#include "mrz_synth/forgery.hpp"
#include "mrz_synth/page.hpp"

namespace {

namespace fs = std::filesystem;
using mrz::synth::Degradation;
using mrz::synth::InkStyle;
using mrz::synth::PageSpec;

// The day the station tests pin the post's clock to; every expectation below holds on it.
constexpr int kReferenceYear = 2026;
constexpr unsigned kReferenceMonth = 11;
constexpr unsigned kReferenceDay = 23;
constexpr const char* kReferenceDate = "2026-11-23";

// The image files of a sample, by light: JPEG, as full-page readers deliver them (IR in gray).
// PNG would be lossless but several times larger with sensor noise, and the samples live in git.
constexpr const char* kWhiteFile = "white.jpg";
constexpr const char* kInfraredFile = "ir.jpg";
constexpr const char* kUltravioletFile = "uv.jpg";
// Quality 85 keeps the 13 samples near 4 MB; the reader reads them as well as lossless ones.
constexpr int kJpegQuality = 85;

struct WatchlistEntry {
  std::string kind;  // "document" | "person"
  std::string document_number;
  std::string issuer;
  std::string surname;
  std::string given_names;
  std::string birth_date;
  std::string nationality;
  std::string reason;
};

struct Sample {
  std::string name;
  std::string description;
  PageSpec spec;
  std::string read;  // "valid" | "invalid" | "not-found" | "needs-review"
  std::vector<std::pair<std::string, std::string>> checks;
  std::optional<WatchlistEntry> watchlist;
  bool smeared = false;  // the MRZ is smeared over after the capture (coffee, water, a thumb)
};

mrz::Date date(int year, int month, int day) { return mrz::Date{"", year, month, day}; }

mrz::DocumentFields fields(mrz::Format format, std::string issuer, std::string surname, std::string given_names,
                           std::string number, std::string nationality, mrz::Date birth, char sex, mrz::Date expiry,
                           std::string optional_data = {}) {
  mrz::DocumentFields f;
  f.format = format;
  f.issuing_state = std::move(issuer);
  f.surname = std::move(surname);
  f.given_names = std::move(given_names);
  f.document_number = std::move(number);
  f.nationality = std::move(nationality);
  f.birth_date = birth;
  f.sex = sex;
  f.expiry_date = expiry;
  f.optional_data = std::move(optional_data);
  return f;
}

PageSpec spec(mrz::DocumentFields f, std::uint32_t seed, Degradation degradation = Degradation::Clean,
              InkStyle ink = InkStyle::Printed, int rotation = 0) {
  PageSpec s;
  s.fields = std::move(f);
  s.seed = seed;
  s.degradation = degradation;
  s.ink = ink;
  s.rotation = rotation;
  s.icao_position = true;  // the MRZ where Doc 9303 puts it, as security.mrz_print expects
  return s;
}

// What every check says about a readable, unremarkable document on the reference day; samples
// override the ones they are about.
std::vector<std::pair<std::string, std::string>> checks(std::vector<std::pair<std::string, std::string>> overrides) {
  std::vector<std::pair<std::string, std::string>> all = {
      {"mrz.valid", "pass"},          {"mrz.legible", "pass"},        {"document.expired", "pass"},   {"document.expires_soon", "pass"},
      {"document.code_known", "pass"}, {"traveller.minor", "pass"},    {"watchlist.document", "pass"},
      {"watchlist.person", "pass"},   {"security.ir_mrz", "pass"},    {"security.uv_dull", "pass"},
      {"security.photo_present", "pass"}, {"security.viz_matches_mrz", "pass"}, {"security.mrz_print", "pass"}};
  for (auto& [id, status] : overrides) {
    bool found = false;
    for (auto& entry : all) {
      if (entry.first != id) continue;
      found = true;
      entry.second = status;
    }
    if (!found) all.emplace_back(id, status);
  }
  std::erase_if(all, [](const auto& entry) { return entry.second.empty(); });  // "" drops a check
  return all;
}

// The TD3 lines of `f` with the document number's check digit misprinted; the composite digit is
// computed over the misprint, as an issuer's faulty personalisation software would, so exactly
// one check fails and no single-character repair can make the MRZ valid.
std::vector<std::string> with_wrong_number_check_digit(const mrz::DocumentFields& f) {
  auto lines = mrz::format(f).lines;
  if (lines.size() != 2 || lines[1].size() != 44) throw std::runtime_error("expected a TD3 MRZ");
  std::string& l2 = lines[1];
  l2[9] = l2[9] == '7' ? '2' : '7';
  const std::string composite = l2.substr(0, 10) + l2.substr(13, 7) + l2.substr(21, 22);
  l2[43] = mrz::check_digit(composite).value_or('0');
  return lines;
}

// A TD1 card's portrait and visual zone are on its front, not on the MRZ side the reader images.
const std::vector<std::pair<std::string, std::string>> kTd1Sides = {{"security.photo_present", "not-run"},
                                                                    {"security.viz_matches_mrz", "not-run"}};

// A forged document of a kind (mrz_synth's recipe, from its own seed).
PageSpec forgery(PageSpec genuine, mrz::synth::Forgery kind, std::uint32_t seed) {
  std::mt19937 rng(seed);
  genuine.background_level = 30;  // the reader's dark hood
  return mrz::synth::forged(genuine, kind, rng);
}

// A sample on which the reader must find no MRZ: the inspector types its data (no checks expected).
Sample unreadable(std::string name, std::string description, PageSpec page) {
  return {std::move(name), std::move(description), std::move(page), "not-found", {}, std::nullopt};
}

std::vector<Sample> samples() {
  using mrz::Format;
  std::vector<Sample> out;
  // `finish` changes what a sample's page shows beyond its fields (a misprint, a smear, no MRZ).
  const auto add = [&](Sample s, const std::function<void(Sample&)>& finish = {}) {
    if (finish) finish(s);
    out.push_back(std::move(s));
  };

  add({"01-passport-peru", "Peruvian passport (TD3), valid: every check passes.",
       spec(fields(Format::TD3, "PER", "Quispe Mamani", "Rosa Elena", "118452367", "PER", date(1988, 3, 14), 'F',
                   date(2031, 6, 9), "45128763"),
            101),
       "valid", checks({}), std::nullopt});
  add({"02-id-card-argentina", "Argentine identity card (TD1, laser-engraved), valid: every check passes.",
       spec(fields(Format::TD1, "ARG", "Fernández", "Lucía Belén", "39876542", "ARG", date(1996, 7, 2), 'F',
                   date(2033, 5, 18)),
            102, Degradation::Clean, InkStyle::LaserEngraved),
       "valid", checks(kTd1Sides), std::nullopt});
  add({"03-id-card-td2-bolivia",
       "Bolivian identity card in the TD2 size, valid; placed upside down on the glass, the reader turns it.",
       spec(fields(Format::TD2, "BOL", "Mamani Choque", "Juan Carlos", "7845123", "BOL", date(1979, 11, 30), 'M',
                   date(2029, 2, 28)),
            103, Degradation::Clean, InkStyle::Printed, 180),
       "valid", checks({}), std::nullopt});
  add({"04-visa-mrva-mexico", "Mexican visa (MRV-A) on a page of an Ecuadorian passport, valid.",
       spec(fields(Format::MRVA, "MEX", "Zambrano Vera", "Carlos Andrés", "V20418735", "ECU", date(1985, 9, 21), 'M',
                   date(2027, 8, 15)),
            104),
       "valid", checks({}), std::nullopt});
  add({"05-visa-mrvb-spain", "Spanish visa (MRV-B) for a Bolivian traveller, valid.",
       spec(fields(Format::MRVB, "ESP", "Choque Apaza", "María Isabel", "E01583264", "BOL", date(1992, 1, 17), 'F',
                   date(2027, 8, 10)),
            105),
       "valid", checks({}), std::nullopt});
  add({"06-passport-expired-colombia", "Colombian passport (TD3) that expired on 2025-09-30.",
       spec(fields(Format::TD3, "COL", "Rodríguez Pérez", "Andrés Felipe", "AQ5120934", "COL", date(1972, 12, 5), 'M',
                   date(2025, 9, 30)),
            106),
       "valid", checks({{"document.expired", "fail"}, {"document.expires_soon", ""}}), std::nullopt});
  add({"07-passport-expires-soon-chile",
       "Chilean passport (TD3) that expires on 2027-03-15, within 180 days of the reference day.",
       spec(fields(Format::TD3, "CHL", "González Araya", "Camila Fernanda", "F27345189", "CHL", date(1990, 4, 22), 'F',
                   date(2027, 3, 15)),
            107),
       "valid", checks({{"document.expires_soon", "warn"}}), std::nullopt});
  add({"08-passport-minor-ecuador", "Ecuadorian passport (TD3) of a 12-year-old: record the accompanying adult.",
       spec(fields(Format::TD3, "ECU", "Andrade Cevallos", "Mateo Sebastián", "A7261843", "ECU", date(2014, 5, 10), 'M',
                   date(2029, 5, 9)),
            108),
       "valid", checks({{"traveller.minor", "warn"}}), std::nullopt});
  add({"09-passport-stolen-brazil", "Brazilian passport (TD3) whose number is on the watch-list as stolen.",
       spec(fields(Format::TD3, "BRA", "Silva Santos", "João Pedro", "FX482913", "BRA", date(1983, 2, 27), 'M',
                   date(2030, 10, 4)),
            109),
       "valid", checks({{"watchlist.document", "fail"}}),
       WatchlistEntry{"document", "FX482913", "BRA", "", "", "", "", "stolen"}});
  add({"10-id-card-watchlisted-person-chile",
       "Chilean identity card (TD1) of a person on the watch-list: the page and the list say MÜLLER, the MRZ MUELLER.",
       spec(fields(Format::TD1, "CHL", "Müller Schultz", "Karin Andrea", "107345862", "CHL", date(1983, 8, 19), 'F',
                   date(2031, 8, 19)),
            110, Degradation::Mild, InkStyle::LaserEngraved),
       "valid", checks({{"watchlist.person", "fail"}, kTd1Sides[0], kTd1Sides[1]}),
       WatchlistEntry{"person", "", "", "Müller Schultz", "Karin Andrea", "1983-08-19", "CHL",
                      "arrest warrant: refer to the second line"}});
  add({"11-passport-wrong-check-digit-mexico",
       "Mexican passport (TD3) printed with a wrong document-number check digit: the MRZ is invalid.",
       spec(fields(Format::TD3, "MEX", "Hernández López", "José Luis", "G35871246", "MEX", date(1977, 6, 3), 'M',
                   date(2032, 1, 20)),
            111),
       "invalid", {{"mrz.valid", "fail"}}, std::nullopt},
      [](Sample& s) { s.spec.mrz_lines = with_wrong_number_check_digit(s.spec.fields); });
  add(unreadable("12-passport-smeared-mrz-argentina",
                 "Argentine passport (TD3) whose MRZ is smeared beyond reading: type the data from the visual zone.",
                 spec(fields(Format::TD3, "ARG", "Sosa Benítez", "Martín Ezequiel", "AAG418273", "ARG", date(1986, 10, 11), 'M',
                             date(2030, 3, 2)),
                      112)),
      [](Sample& s) { s.smeared = true; });
  add(unreadable("13-old-passport-no-mrz-peru", "Old Peruvian passport with a visual zone only, no MRZ: type the data from the page.",
                 spec(fields(Format::TD3, "PER", "Huamán Torres", "Pedro Pablo", "0457812", "PER", date(1958, 2, 8), 'M',
                             date(2028, 2, 7)),
                      113)),
      [](Sample& s) { s.spec.print_mrz = false; });
  // Forgeries: each caught by the optical security checks.
  using mrz::synth::Forgery;
  add({"14-passport-colour-photocopy-venezuela",
       "Colour photocopy of a Venezuelan passport (TD3): the MRZ vanishes under infrared and the paper glows under ultraviolet.",
       forgery(spec(fields(Format::TD3, "VEN", "Rojas Medina", "Luis Alberto", "154872396", "VEN", date(1981, 4, 17), 'M',
                           date(2030, 7, 22)),
                    114),
               Forgery::ColourPhotocopy, 1),
       "valid", checks({{"security.ir_mrz", "fail"}, {"security.uv_dull", "fail"}}), std::nullopt});
  add({"15-passport-substituted-mrz-colombia",
       "Colombian passport (TD3) with a new MRZ (a later expiry) printed on a strip of ordinary paper and glued over the "
       "old one, in a slightly large font and 1.8 mm too far left.",
       forgery(spec(fields(Format::TD3, "COL", "Castro Vargas", "Diana Marcela", "AR3307125", "COL", date(1993, 9, 8), 'F',
                           date(2026, 12, 30)),
                    115),
               Forgery::SubstitutedMrz, 7),
       "valid",
       checks({{"security.uv_dull", "fail"}, {"security.viz_matches_mrz", "fail"}, {"security.mrz_print", "fail"}}),
       std::nullopt},
      [](Sample& s) {
        s.spec.mrz_pitch_mm = 2.54 * 1.07;
        s.spec.mrz_shift_mm = -1.8;
        s.spec.mrz_skew_degrees = 0.8;
      });
  add({"16-passport-altered-viz-ecuador",
       "Ecuadorian passport (TD3) whose visual zone was altered: the page shows another birth date than the MRZ.",
       spec(fields(Format::TD3, "ECU", "Paredes Mora", "Gabriela Estefanía", "A9051837", "ECU", date(1995, 2, 14), 'F',
                   date(2031, 1, 9)),
            116),
       "valid", checks({{"security.viz_matches_mrz", "fail"}}), std::nullopt},
      [](Sample& s) {
        s.spec.mrz_lines = mrz::format(s.spec.fields).lines;
        s.spec.fields.birth_date = date(1985, 2, 14);
      });
  add({"17-passport-photo-removed-bolivia", "Bolivian passport (TD3) whose portrait was removed from the data page.",
       forgery(spec(fields(Format::TD3, "BOL", "Flores Quispe", "Ana Rosa", "9318264", "BOL", date(1988, 12, 1), 'F',
                           date(2029, 6, 18)),
                    117),
               Forgery::MissingPhoto, 3),
       "valid", checks({{"security.photo_present", "fail"}}), std::nullopt});
  return out;
}

// Smears the MRZ in every light alike, as a wet thumb drags fresh ink: the text runs sideways and
// together within blotchy patches that cover most of the zone; under white light the patches
// leave a brownish stain.
void smear_mrz(std::vector<cv::Mat*> images, const std::array<cv::Point2f, 4>& quad, std::uint32_t seed) {
  if (images.empty()) return;
  const cv::Size size = images.front()->size();
  std::vector<cv::Point2f> corners(quad.begin(), quad.end());
  const cv::Rect box = cv::boundingRect(corners);
  cv::RNG rng(seed);
  cv::Mat mask(size, CV_32F, cv::Scalar(0));
  for (int i = 0; i < 9; ++i) {
    const cv::Point centre(box.x + box.width * (i + 0.5) / 9 + rng.uniform(-box.height / 3, box.height / 3),
                           box.y + box.height / 2 + rng.uniform(-box.height / 4, box.height / 4));
    const cv::Size axes(static_cast<int>(box.width / 9 * rng.uniform(0.9, 1.3)), static_cast<int>(box.height * rng.uniform(0.8, 1.1)));
    cv::ellipse(mask, centre, axes, rng.uniform(-20.0, 20.0), 0, 360, cv::Scalar(1.0), -1, cv::LINE_AA);
  }
  cv::GaussianBlur(mask, mask, {0, 0}, box.height / 8.0);
  for (cv::Mat* image : images) {
    cv::Mat dragged;
    cv::Mat kernel(1, 61, CV_32F, cv::Scalar(1.0F / 61.0F));
    cv::filter2D(*image, dragged, -1, kernel);
    cv::blur(dragged, dragged, {7, 21});
    cv::Mat original, smeared;
    image->convertTo(original, CV_32F);
    dragged.convertTo(smeared, CV_32F);
    if (image->channels() == 3) {
      if (image == images.front()) cv::multiply(smeared, cv::Scalar(0.86, 0.91, 0.96), smeared);  // the stain
      cv::Mat mask3;
      cv::merge(std::vector<cv::Mat>{mask, mask, mask}, mask3);
      original = original.mul(cv::Scalar::all(1.0) - mask3) + smeared.mul(mask3);
    } else {
      original = original.mul(1.0 - mask) + smeared.mul(mask);
    }
    original.convertTo(*image, image->type());
  }
}

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out.append("\"");
}

std::string manifest(const std::vector<Sample>& all, const std::vector<std::vector<std::string>>& lines) {
  std::ostringstream out;
  out << "# The sample documents of the simulated full-page reader, in demo order, with what the station\n"
         "# must make of each on the reference day. Generated by make_station_samples: do not edit by hand\n"
         "# (see README.md). `mrz` is the text printed on the page ([] when there is none); `read` is the\n"
         "# optical reader's status; `checks` the inspection results that must come out; `watchlist` the\n"
         "# entry the post's watch-list must hold for the expected hit.\n";
  out << "reference_date = " << quoted(kReferenceDate) << "\n";
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Sample& s = all[i];
    out << "\n[[samples]]\n";
    out << "name = " << quoted(s.name) << "\n";
    out << "description = " << quoted(s.description) << "\n";
    out << "format = " << quoted(s.spec.print_mrz ? std::string(mrz::to_string(s.spec.fields.format)) : "") << "\n";
    out << "mrz = [";
    for (std::size_t l = 0; l < lines[i].size(); ++l) out << (l ? ", " : "") << quoted(lines[i][l]);
    out << "]\n";
    out << "read = " << quoted(s.read) << "\n";
    out << "orientation = " << s.spec.rotation << "\n";
    out << "\n[samples.images]\n";
    out << "white = " << quoted(kWhiteFile) << "\nir = " << quoted(kInfraredFile) << "\nuv = " << quoted(kUltravioletFile)
        << "\n";
    out << "\n[samples.checks]\n";
    for (const auto& [id, status] : s.checks) out << quoted(id) << " = " << quoted(status) << "\n";
    if (s.watchlist) {
      const auto& w = *s.watchlist;
      out << "\n[samples.watchlist]\n";
      out << "kind = " << quoted(w.kind) << "\n";
      if (w.kind == "document") {
        out << "document_number = " << quoted(w.document_number) << "\nissuer = " << quoted(w.issuer) << "\n";
      } else {
        out << "surname = " << quoted(w.surname) << "\ngiven_names = " << quoted(w.given_names)
            << "\nbirth_date = " << quoted(w.birth_date) << "\nnationality = " << quoted(w.nationality) << "\n";
      }
      out << "reason = " << quoted(w.reason) << "\n";
    }
  }
  return out.str();
}

void write_image(const fs::path& path, const cv::Mat& image) {
  std::vector<int> params;
  if (path.extension() == ".jpg") params = {cv::IMWRITE_JPEG_QUALITY, kJpegQuality, cv::IMWRITE_JPEG_OPTIMIZE, 1};
  if (path.extension() == ".png") params = {cv::IMWRITE_PNG_COMPRESSION, 9};
  if (!cv::imwrite(path.string(), image, params)) throw std::runtime_error(std::string("cannot write ").append(path.string()));
}

mrz::optical::ReadStatus status_named(const std::string& name) {
  using mrz::optical::ReadStatus;
  if (name == "valid") return ReadStatus::Valid;
  if (name == "invalid") return ReadStatus::Invalid;
  if (name == "needs-review") return ReadStatus::NeedsReview;
  if (name == "not-found") return ReadStatus::NotFound;
  throw std::runtime_error(std::string("unknown read status in the manifest: ").append(name));
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out.append(out.empty() ? "" : " / ").append(line);
  return out.empty() ? std::string("(none)") : out;
}

// Reads every sample in DIR back as the manifest describes it; returns the number of mismatches.
int check(const fs::path& dir) {
  const toml::table manifest = toml::parse_file((dir / "samples.toml").string());
  const mrz::optical::Reader reader;
  mrz::optical::ReadOptions options;
  options.parse.as_of = std::chrono::year_month_day{std::chrono::year{kReferenceYear}, std::chrono::month{kReferenceMonth},
                                                    std::chrono::day{kReferenceDay}};
  int failures = 0;
  const auto* list = manifest["samples"].as_array();
  if (list == nullptr || list->empty()) {
    std::cerr << "make_station_samples: " << (dir / "samples.toml").string() << " lists no samples\n";
    return 1;
  }
  for (const auto& node : *list) {
    const auto& sample = *node.as_table();
    const std::string name = sample["name"].value_or(std::string());
    const std::string expected = sample["read"].value_or(std::string());
    std::vector<std::string> lines;
    if (const auto* mrz = sample["mrz"].as_array()) {
      for (const auto& line : *mrz) lines.push_back(line.value_or(std::string()));
    }
    for (const char* light : {"white", "ir", "uv"}) {
      const std::string file = sample["images"][light].value_or(std::string());
      if (file.empty() || cv::imread((dir / name / file).string(), cv::IMREAD_UNCHANGED).empty()) {
        std::cerr << "FAIL " << name << ": the " << light << " image " << file << " is missing or undecodable\n";
        ++failures;
      }
    }
    const std::string white = sample["images"]["white"].value_or(std::string());
    const auto result = reader.read_file((dir / name / white).string(), options);
    const std::string got(mrz::optical::to_string(result.status));
    bool ok = result.status == status_named(expected);
    // A readable MRZ must come out as printed; for an unreadable one there is nothing to compare.
    const bool compare_lines = result.status != mrz::optical::ReadStatus::NotFound;
    if (ok && compare_lines && result.mrz.lines != lines) ok = false;
    std::cout << (ok ? "ok   " : "FAIL ") << name << ": read " << got << " (expected " << expected << ")";
    if (compare_lines) std::cout << ", " << joined(result.mrz.lines);
    if (!result.message.empty()) std::cout << " [" << result.message << "]";
    std::cout << "\n";
    if (!ok) {
      std::cout << "     expected lines: " << joined(lines) << "\n";
      ++failures;
    }
  }
  return failures;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path out;
  bool verify = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--out" && i + 1 < argc) {
      out = argv[++i];
    } else if (arg == "--check") {
      verify = true;
    } else {
      std::cerr << "usage: make_station_samples --out DIR [--check]\n";
      return 2;
    }
  }
  if (out.empty()) {
    std::cerr << "usage: make_station_samples --out DIR [--check]\n";
    return 2;
  }
  try {
    const auto all = samples();
    fs::create_directories(out);
    std::vector<std::vector<std::string>> lines;
    for (const auto& s : all) {
      // The sensor noise and the ink textures come from OpenCV's generator: seed it per sample so
      // each sample comes out the same whatever was rendered before it.
      cv::theRNG().state = 0x5a3d0000ULL + s.spec.seed;
      auto page = mrz::synth::render_lights(s.spec);
      if (s.smeared) smear_mrz({&page.white.image, &page.infrared, &page.ultraviolet}, page.white.mrz_quad, s.spec.seed);
      const fs::path folder = out / s.name;
      fs::create_directories(folder);
      write_image(folder / kWhiteFile, page.white.image);
      write_image(folder / kInfraredFile, page.infrared);
      write_image(folder / kUltravioletFile, page.ultraviolet);
      lines.push_back(page.white.mrz_lines);
    }
    std::ofstream file(out / "samples.toml");
    file << manifest(all, lines);
    file.close();
    if (!file) throw std::runtime_error(std::string("cannot write ").append((out / "samples.toml").string()));
    std::cerr << "make_station_samples: wrote " << all.size() << " samples to " << out.string() << "\n";
    if (verify) {
      const int failures = check(out);
      if (failures > 0) {
        std::cerr << "make_station_samples: " << failures
                  << " sample(s) do not read as the manifest says; adjust the sample or its expectation\n";
        return 1;
      }
      std::cerr << "make_station_samples: every sample reads as the manifest says\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "make_station_samples: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
