// Parse+validate throughput of the MRZ engine on one core, over a corpus file shared with the npm
// comparison (bench/npm-mrz/bench.mjs). `--generate N FILE` writes a corpus of N documents of all
// five layouts (blank-line separated); `--corpus FILE` times parse() over it.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "mrz/countries.hpp"
#include "mrz/mrz.hpp"

namespace {

std::string random_text(std::mt19937& rng, std::string_view alphabet, int min_length, int max_length) {
  std::string out(static_cast<std::size_t>(min_length + static_cast<int>(rng() % (max_length - min_length + 1))), ' ');
  for (auto& c : out) c = alphabet[rng() % alphabet.size()];
  return out;
}

int generate(int count, const std::string& path) {
  constexpr std::string_view kLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  constexpr std::string_view kAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const mrz::Format formats[] = {mrz::Format::TD3, mrz::Format::TD1, mrz::Format::TD2, mrz::Format::MRVA,
                                 mrz::Format::MRVB};
  const auto codes = mrz::all_country_codes();
  std::mt19937 rng(9303);
  std::ofstream out(path);
  for (int i = 0; i < count; ++i) {
    mrz::DocumentFields f;
    f.format = formats[i % 5];
    f.issuing_state = std::string(codes[rng() % codes.size()].code);
    f.nationality = std::string(codes[rng() % codes.size()].code);
    f.surname = random_text(rng, kLetters, 3, 14);
    f.given_names = random_text(rng, kLetters, 3, 8) + " " + random_text(rng, kLetters, 0, 8);
    f.document_number = random_text(rng, kAlnum, 8, 9);
    f.birth_date = mrz::Date{"", 1940 + static_cast<int>(rng() % 80), 1 + static_cast<int>(rng() % 12),
                             1 + static_cast<int>(rng() % 28)};
    f.expiry_date = mrz::Date{"", 2020 + static_cast<int>(rng() % 15), 1 + static_cast<int>(rng() % 12),
                              1 + static_cast<int>(rng() % 28)};
    f.sex = "MF"[rng() % 2];
    f.optional_data = random_text(rng, kAlnum, 0, 7);
    const auto formatted = mrz::format(f);
    if (!formatted.ok()) {
      std::cerr << "cannot format document " << i << ": " << formatted.problems.front().message << '\n';
      return 1;
    }
    out << formatted.text() << "\n\n";
  }
  return 0;
}

std::vector<std::string> read_corpus(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> documents;
  std::string line, current;
  while (std::getline(in, line)) {
    if (line.empty()) {
      if (!current.empty()) documents.push_back(current);
      current.clear();
    } else {
      if (!current.empty()) current.push_back('\n');
      current += line;
    }
  }
  if (!current.empty()) documents.push_back(current);
  return documents;
}

int time_corpus(const std::string& path, double seconds) {
  const auto documents = read_corpus(path);
  if (documents.empty()) {
    std::cerr << "bench_mrz_parse: no documents in " << path << '\n';
    return 1;
  }
  const mrz::ParseOptions options{std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{23}}};
  using clock = std::chrono::steady_clock;
  long parsed = 0;
  long valid = 0;
  const auto start = clock::now();
  double elapsed = 0;
  do {
    for (const auto& doc : documents) valid += mrz::parse(doc, options).valid() ? 1 : 0;
    parsed += static_cast<long>(documents.size());
    elapsed = std::chrono::duration<double>(clock::now() - start).count();
  } while (elapsed < seconds);
  if (valid != parsed) {
    std::cerr << "bench_mrz_parse: " << parsed - valid << " documents did not validate\n";
    return 1;
  }
  std::cout << "{\"engine\":\"borderpost\",\"documents\":" << parsed << ",\"seconds\":" << elapsed
            << ",\"documents_per_second\":" << static_cast<long>(static_cast<double>(parsed) / elapsed) << "}\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 3 && args[0] == "--generate") return generate(std::atoi(args[1].c_str()), args[2]);
  if ((args.size() == 2 || args.size() == 4) && args[0] == "--corpus") {
    const double seconds = args.size() == 4 && args[2] == "--seconds" ? std::atof(args[3].c_str()) : 3.0;
    return time_corpus(args[1], seconds);
  }
  std::cerr << "usage: bench_mrz_parse --generate N FILE | --corpus FILE [--seconds S]\n";
  return 2;
}
