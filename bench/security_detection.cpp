// Detection of forged documents by the optical security checks (security.*), and their false
// alarms on genuine ones: generates genuine documents and the four forgery kinds under white, IR
// and UV light (mrz_synth), reads each page's MRZ, measures the features, runs the checks, and
// prints per forgery kind how many were caught (a security check failed) and by which check.
//   bench_security_detection [--genuine N] [--forged-per-kind N] [--threads N] [--seed S] [--verbose]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "mrz_optical/read.hpp"
#include "mrz_synth/forgery.hpp"
#include "inspection/inspection.hpp"
#include "security/page_examiner.hpp"

namespace {

using namespace borderpost::station;
using mrz::synth::Forgery;

struct Job {
  std::string kind;  // "genuine" or the forgery's name
  mrz::synth::PageSpec spec;
};

struct Outcome {
  std::string kind;
  std::vector<CheckResult> checks;
  std::string read;
  double seconds = 0;
};

// The layouts in the proportions a post sees them; a TD1 card's portrait and visual zone are on
// the front, not on the MRZ side this set images, so their forgeries use the other layouts.
mrz::Format pick_format(std::mt19937& rng, bool needs_portrait) {
  const unsigned r = rng() % 20;
  if (r < 10) return mrz::Format::TD3;
  if (r < 14) return mrz::Format::TD2;
  if (r < 17) return mrz::Format::MRVA;
  if (r < 18 || needs_portrait) return mrz::Format::MRVB;
  return mrz::Format::TD1;
}

std::vector<Job> jobs(int genuine, int forged_per_kind, std::uint32_t seed) {
  std::vector<Job> out;
  std::mt19937 rng(seed);
  for (int i = 0; i < genuine; ++i) out.push_back({"genuine", mrz::synth::genuine_document(rng, pick_format(rng, false))});
  for (Forgery forgery : mrz::synth::kForgeries) {
    for (int i = 0; i < forged_per_kind; ++i) {
      const auto original = mrz::synth::genuine_document(rng, pick_format(rng, forgery == Forgery::MissingPhoto || forgery == Forgery::VizMismatch));
      out.push_back({std::string(mrz::synth::to_string(forgery)), mrz::synth::forged(original, forgery, rng)});
    }
  }
  return out;
}

Outcome examine(const Job& job, const security::PageExaminer& examiner, const mrz::optical::Reader& reader) {
  const auto started = std::chrono::steady_clock::now();
  const auto lights = mrz::synth::render_lights(job.spec);
  security::PageImages images;
  images.white = lights.white.image;
  images.infrared = lights.infrared;
  images.ultraviolet = lights.ultraviolet;
  const auto read = reader.read(images.white);
  const auto facts = examiner.examine(images, read);
  Outcome out{job.kind, security_checks(facts, SecurityRules{}), std::string(mrz::optical::to_string(read.status)), 0};
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Detection rate of the optical security checks on generated genuine and forged documents"};
  int genuine = 200;
  int forged_per_kind = 50;
  int threads = 2;
  std::uint32_t seed = 9303;
  bool verbose = false;
  app.add_option("--genuine", genuine, "genuine documents")->check(CLI::Range(0, 100000));
  app.add_option("--forged-per-kind", forged_per_kind, "forged documents of each kind")->check(CLI::Range(0, 100000));
  app.add_option("--threads", threads, "examining threads")->check(CLI::Range(1, 64));
  app.add_option("--seed", seed, "random seed of the document set");
  app.add_flag("--verbose", verbose, "print every document's checks");
  CLI11_PARSE(app, argc, argv);

  const mrz::optical::Reader reader;
  const security::PageExaminer examiner(reader);
  const auto all = jobs(genuine, forged_per_kind, seed);
  std::vector<Outcome> outcomes(all.size());
  std::atomic<std::size_t> next{0}, done{0};
  std::mutex print;
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::jthread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (std::size_t i; (i = next++) < all.size();) {
        outcomes[i] = examine(all[i], examiner, reader);
        const std::size_t finished = ++done;
        std::lock_guard lock(print);
        if (verbose) {
          std::cout << i << " " << outcomes[i].kind << " read=" << outcomes[i].read << "\n";
          for (const auto& c : outcomes[i].checks)
            std::cout << "   " << c.id << " " << to_string(c.status) << " | " << c.measurement << " | " << c.reason << "\n";
        } else if (finished % 25 == 0 || finished == all.size()) {
          std::cerr << "\r" << finished << "/" << all.size() << " documents examined" << std::flush;
        }
      }
    });
  }
  workers.clear();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cerr << "\n";

  struct Tally {
    int documents = 0, alarmed = 0, warned = 0;
    double seconds = 0;
    std::map<std::string, int> failed_by;
  };
  std::map<std::string, Tally> tallies;
  for (const auto& o : outcomes) {
    auto& t = tallies[o.kind];
    ++t.documents;
    t.seconds += o.seconds;
    bool failed = false, warned = false;
    for (const auto& c : o.checks) {
      if (c.status == CheckStatus::Fail) ++t.failed_by[c.id], failed = true;
      if (c.status == CheckStatus::Warn) warned = true;
    }
    t.alarmed += failed;
    t.warned += warned && !failed;
  }
  std::printf("%-18s %6s %8s %8s %7s  %s\n", "documents", "n", "alarmed", "rate", "warned", "failing checks");
  for (const auto& [kind, t] : tallies) {
    std::string by;
    for (const auto& [id, n] : t.failed_by) by += id.substr(9) + "=" + std::to_string(n) + " ";
    std::printf("%-18s %6d %8d %7.1f%% %7d  %s\n", kind.c_str(), t.documents, t.alarmed, 100.0 * t.alarmed / std::max(1, t.documents),
                t.warned, by.c_str());
  }
  std::printf("\n%zu documents in %.1f s on %d threads: %.2f s per document (render, read, examine)\n", outcomes.size(), elapsed,
              threads, elapsed * threads / static_cast<double>(std::max<std::size_t>(1, outcomes.size())));
  return 0;
}
