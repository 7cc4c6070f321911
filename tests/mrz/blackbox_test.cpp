// Blackbox runner: the committed pages of tests/data/mrz-pages (made by make_mrz_pages, never used
// for training), each with the MRZ it must read to. Prints accuracy per layout, degradation and
// orientation, as zxing-cpp's blackbox tests do, and holds the reader to a floor.
#include <doctest/doctest.h>

#include <filesystem>
#include <iostream>
#include <map>

#include "image_sets.hpp"
#include "mrz_optical/read.hpp"
#include "test_support.hpp"

namespace {

struct Count {
  int pages = 0;
  int exact = 0;
  int silent_wrong = 0;
};

}  // namespace

TEST_CASE("blackbox pages: accuracy per layout, degradation and orientation") {
  const mrz::optical::Reader reader;
  mrz::optical::ReadOptions options;
  options.parse.as_of = mrz::test::kAsOf;
  std::map<std::string, Count> groups;
  Count all;
  for (const auto& entry : std::filesystem::directory_iterator(BORDERPOST_MRZ_PAGES)) {
    if (entry.path().extension() != ".jpg") continue;
    const auto truth = mrz::optical::sets::mrz_file(std::filesystem::path(entry.path()).replace_extension(".mrz"));
    const auto result = reader.read_file(entry.path().string(), options);
    const bool exact = result.mrz.lines == truth;
    // Valid means nothing is left to check: a wrong valid read is a silent one.
    const bool silent = !exact && result.status == mrz::optical::ReadStatus::Valid;
    // Names are NNN-LAYOUT-DEGRADATION-INK-rotANGLE.
    const std::string stem = entry.path().stem().string();
    std::vector<std::string> parts;
    for (std::size_t start = 0, dash; start <= stem.size(); start = dash + 1) {
      dash = stem.find('-', start);
      if (dash == std::string::npos) dash = stem.size();
      parts.push_back(stem.substr(start, dash - start));
    }
    for (std::size_t k = 1; k < parts.size(); ++k) {
      auto& g = groups[parts[k]];
      ++g.pages;
      g.exact += exact ? 1 : 0;
      g.silent_wrong += silent ? 1 : 0;
    }
    ++all.pages;
    all.exact += exact ? 1 : 0;
    all.silent_wrong += silent ? 1 : 0;
    if (!exact) MESSAGE(stem, ": read as ", result.mrz.lines.empty() ? std::string("nothing") : result.mrz.lines.front(), " (", to_string(result.status), ")");
  }
  std::cout << "blackbox | group | pages | exact\n";
  for (const auto& [name, g] : groups) std::cout << "blackbox | " << name << " | " << g.pages << " | " << g.exact << "\n";
  std::cout << "blackbox | all | " << all.pages << " | " << all.exact << " (silently wrong: " << all.silent_wrong << ")\n";
  REQUIRE(all.pages >= 40);
  CHECK(all.exact * 100 >= 90 * all.pages);
  CHECK(all.silent_wrong == 0);
}
