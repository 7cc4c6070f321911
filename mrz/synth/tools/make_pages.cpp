// Writes synthetic document pages with their ground truth: one IMAGE.jpg and IMAGE.mrz per page,
// cycling through layouts, degradations, ink styles and orientations.
//   make_mrz_pages OUTDIR [--pages N] [--seed S] [--quality Q]
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <opencv2/imgcodecs.hpp>

#include "mrz_synth/page.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: make_mrz_pages OUTDIR [--pages N] [--seed S] [--quality Q]\n";
    return 2;
  }
  const std::filesystem::path out = argv[1];
  int pages = 40;
  std::uint32_t seed = 424242;
  int quality = 80;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--pages") pages = std::stoi(argv[i + 1]);
    else if (flag == "--seed") seed = static_cast<std::uint32_t>(std::stoul(argv[i + 1]));
    else if (flag == "--quality") quality = std::stoi(argv[i + 1]);
  }
  std::filesystem::create_directories(out);
  const mrz::Format formats[] = {mrz::Format::TD3, mrz::Format::TD1, mrz::Format::TD2, mrz::Format::MRVA, mrz::Format::MRVB};
  std::mt19937 rng(seed);
  for (int i = 0; i < pages; ++i) {
    mrz::synth::PageSpec spec;
    spec.fields = mrz::synth::random_fields(rng, formats[i % 5]);
    spec.degradation = static_cast<mrz::synth::Degradation>((i / 5) % 4);
    spec.ink = static_cast<mrz::synth::InkStyle>((i / 2) % 3);
    spec.rotation = static_cast<int>((i / 20 + i) % 4) * 90;
    spec.seed = seed + static_cast<std::uint32_t>(i);
    const auto page = mrz::synth::render_page(spec);
    char name[128];
    std::snprintf(name, sizeof name, "%03d-%s-%s-%s-rot%d", i, std::string(mrz::to_string(spec.fields.format)).c_str(),
                  std::string(mrz::synth::to_string(spec.degradation)).c_str(),
                  std::string(mrz::synth::to_string(spec.ink)).c_str(), spec.rotation);
    cv::imwrite((out / (std::string(name) + ".jpg")).string(), page.image, {cv::IMWRITE_JPEG_QUALITY, quality});
    std::ofstream truth(out / (std::string(name) + ".mrz"));
    for (const auto& line : page.mrz_lines) truth << line << '\n';
  }
  std::cerr << "make_mrz_pages: wrote " << pages << " pages to " << out << '\n';
  return 0;
}
