// Renders synthetic document pages: layout in millimetres at the ICAO pitch, OCR-B MRZ, a visual
// zone, scanner background, then geometric and photometric degradation with the MRZ corners tracked.
#include "mrz_synth/page.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <stdexcept>

#include <opencv2/freetype.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "mrz/countries.hpp"

namespace mrz::synth {

std::string_view to_string(Degradation degradation) {
  switch (degradation) {
    case Degradation::Clean: return "clean";
    case Degradation::Mild: return "mild";
    case Degradation::Moderate: return "moderate";
    case Degradation::Severe: return "severe";
  }
  return "clean";
}

std::string_view to_string(InkStyle style) {
  switch (style) {
    case InkStyle::Printed: return "printed";
    case InkStyle::LaserEngraved: return "laser";
    case InkStyle::Inkjet: return "inkjet";
  }
  return "printed";
}

namespace {

constexpr double kMmPerInch = 25.4;

struct Geometry {
  double width_mm;
  double height_mm;
  double last_baseline_from_bottom_mm;
  double line_spacing_mm;
};

Geometry geometry(Format format) {
  switch (format) {
    case Format::TD1: return {85.6, 54.0, 4.0, 4.23};
    case Format::TD2:
    case Format::MRVB: return {105.0, 74.0, 4.5, 4.23};
    case Format::MRVA: return {120.0, 80.0, 4.5, 4.23};
    default: return {125.0, 88.0, 4.5, 4.23};
  }
}

// FreeType faces are not thread-safe: one per thread and font.
cv::freetype::FreeType2& face(const char* path) {
  thread_local std::map<std::string, cv::Ptr<cv::freetype::FreeType2>> faces;
  auto& entry = faces[path];
  if (!entry) {
    entry = cv::freetype::createFreeType2();
    try {
      entry->loadFontData(path, 0);
    } catch (const cv::Exception&) {
      entry.release();
      throw std::runtime_error(std::string("font not found: ") + path + " (install fonts-ocr-b and fonts-dejavu-core)");
    }
  }
  return *entry;
}

struct Params {
  double max_skew_degrees;
  double blur_sigma;
  double noise_sigma;
  double light_floor;    // darkest factor of the uneven-light gradient
  int jpeg_quality;      // 0 = no JPEG round trip
  double perspective;    // corner displacement as a fraction of the size
  int ink_level;         // darkness of the MRZ ink, 0 = black
  double scale_jitter;   // relative change of the scanner resolution
};

Params params(Degradation degradation) {
  switch (degradation) {
    case Degradation::Clean: return {0.0, 0.0, 0.0, 1.0, 0, 0.0, 0, 0.0};
    case Degradation::Mild: return {2.0, 0.6, 3.0, 0.9, 90, 0.0, 15, 0.03};
    case Degradation::Moderate: return {6.0, 1.0, 7.0, 0.75, 70, 0.01, 40, 0.06};
    case Degradation::Severe: return {15.0, 1.5, 12.0, 0.55, 45, 0.025, 85, 0.1};
  }
  return {};
}

double uniform(std::mt19937& rng, double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); }

// Three draws, last first, each in its own statement: the order of a call's arguments is
// unspecified, and the same seed must give the same page whatever the compiler (this is the order
// g++ used, so its pages stay as they were).
cv::Scalar uniform_colour(std::mt19937& rng, double lo, double hi) {
  const double third = uniform(rng, lo, hi);
  const double second = uniform(rng, lo, hi);
  const double first = uniform(rng, lo, hi);
  return cv::Scalar(first, second, third);
}

enum class Light : std::uint8_t { White, Infrared, Ultraviolet };

// How the page's materials look under one light. Every colour below is the white-light one, mapped
// here, so each light draws the same shapes from the same random numbers.
struct Lighting {
  Light light = Light::White;
  Paper paper_kind = Paper::Security;
  bool ir_absorbing_inks = true;
  cv::Scalar paper;  // the paper's colour under this light

  cv::Scalar paper_for(const cv::Scalar& white_paper) const {
    switch (light) {
      case Light::White: return white_paper;
      case Light::Infrared: return cv::Scalar::all(std::min(250.0, gray(white_paper) + 10.0));
      case Light::Ultraviolet:
        // Security paper has no optical brighteners: dull blue-black. Copy paper glows blue-white.
        if (paper_kind == Paper::Copy) return {252, 236, 214};
        return cv::Scalar(52, 26, 20) + (white_paper - cv::Scalar::all(230)) * 0.1;
    }
    return white_paper;
  }
  // Coloured (IR-transparent, non-fluorescent) printing: fades into the paper under IR, a little
  // darker than the paper under UV.
  cv::Scalar colour_ink(const cv::Scalar& white, double ir_fade, double uv_darkness) const {
    switch (light) {
      case Light::White: return white;
      case Light::Infrared: return cv::Scalar::all(gray(white)) * (1.0 - ir_fade) + paper * ir_fade;
      case Light::Ultraviolet: return paper * (1.0 - uv_darkness);
    }
    return white;
  }
  // Carbon-black personalisation: dark under IR too (unless a colour copier reproduced it).
  cv::Scalar black_ink(const cv::Scalar& white, double uv_darkness) const {
    switch (light) {
      case Light::White: return white;
      case Light::Infrared:
        if (!ir_absorbing_inks) return colour_ink(white, 0.92, uv_darkness);
        return cv::Scalar::all(gray(white) + 20.0);
      case Light::Ultraviolet: return paper * (1.0 - uv_darkness);
    }
    return white;
  }
  static double gray(const cv::Scalar& bgr) { return 0.114 * bgr[0] + 0.587 * bgr[1] + 0.299 * bgr[2]; }
};

void draw_security_background(cv::Mat& doc, std::mt19937& rng, Lighting& lighting) {
  const cv::Scalar white_base = uniform_colour(rng, 215, 245);
  const cv::Scalar base = lighting.paper = lighting.paper_for(white_base);
  doc.setTo(base);
  // Guilloche-like fine sine lines, as security printing has behind the visual zone. Printed in
  // IR-transparent ink (gone under IR); under UV it absorbs a little, which shows on copy paper.
  const double period = uniform(rng, 40, 90);
  const double amplitude = uniform(rng, 6, 20);
  const double factor = uniform(rng, 0.82, 0.92);
  cv::Scalar line_colour = base * factor;
  if (lighting.light == Light::Infrared) line_colour = base;
  if (lighting.light == Light::Ultraviolet) line_colour = base * (lighting.paper_kind == Paper::Copy ? factor : 0.97);
  for (int k = -doc.rows; k < doc.rows * 2; k += 14) {
    std::vector<cv::Point> points;
    for (int x = 0; x < doc.cols; x += 6) {
      points.emplace_back(x, k + static_cast<int>(amplitude * std::sin(x / period + k * 0.05)));
    }
    cv::polylines(doc, points, false, line_colour, 1, cv::LINE_AA);
  }
}

// A frontal head-and-shoulders portrait as a photo on the data page shows it: backdrop, hair,
// face with eyes, brows, nose and mouth, shoulders. Its shapes come from `looks`, its colours go
// through the light's dye mapping (the photo's dyes mostly vanish under IR).
void draw_portrait(cv::Mat& doc, const cv::Rect& photo, const cv::Scalar& backdrop, std::mt19937& looks,
                   const Lighting& lighting) {
  const auto dye = [&](const cv::Scalar& white) { return lighting.colour_ink(white, 0.7, 0.45); };
  cv::Mat area = doc(photo);
  area.setTo(lighting.colour_ink(backdrop, 0.8, 0.25));
  const double w = photo.width;
  const double h = photo.height;
  const double centre_y = h * uniform(looks, 0.42, 0.47);
  const cv::Point2d c(w / 2.0 + uniform(looks, -0.03, 0.03) * w, centre_y);
  const double fw = w * uniform(looks, 0.27, 0.32);
  const double fh = h * uniform(looks, 0.28, 0.32);
  const double tone = uniform(looks, 0.55, 1.0);
  const cv::Scalar skin(90 * tone + 40, 130 * tone + 40, 180 * tone + 50);
  const cv::Scalar hair = cv::Scalar::all(uniform(looks, 20, 80));
  const cv::Scalar clothes = uniform_colour(looks, 30, 110);
  const auto pt = [](double x, double y) { return cv::Point(static_cast<int>(x), static_cast<int>(y)); };
  const auto size = [](double x, double y) { return cv::Size(static_cast<int>(x), static_cast<int>(y)); };
  const int stroke = std::max(2, static_cast<int>(fh / 18));
  cv::ellipse(area, pt(c.x, h), size(w / 2 - 2, h / 4), 0, 180, 360, dye(clothes), -1, cv::LINE_AA);
  cv::rectangle(area, cv::Rect(pt(c.x - fw * 0.45, c.y + fh * 0.6), size(fw * 0.9, fh * 0.9)), dye(skin * 0.85), -1);
  cv::ellipse(area, pt(c.x, c.y - fh * 0.15), size(fw * 1.12, fh * 1.15), 0, 180, 360, dye(hair), -1, cv::LINE_AA);
  cv::ellipse(area, pt(c.x, c.y), size(fw, fh), 0, 0, 360, dye(skin), -1, cv::LINE_AA);
  cv::ellipse(area, pt(c.x, c.y - fh * 0.55), size(fw * 1.02, fh * 0.5), 0, 180, 360, dye(hair), -1, cv::LINE_AA);
  const double eye_y = c.y - fh * 0.12;
  const double eye_x = fw * uniform(looks, 0.37, 0.43);
  for (const double side : {-1.0, 1.0}) {
    const double x = c.x + side * eye_x;
    cv::ellipse(area, pt(x, eye_y - fh * 0.17), size(fw * 0.22, fh * 0.05), 0, 180, 360, dye(hair), stroke, cv::LINE_AA);
    cv::ellipse(area, pt(x, eye_y), size(fw * 0.17, fh * 0.08), 0, 0, 360, dye(cv::Scalar::all(235)), -1, cv::LINE_AA);
    cv::circle(area, pt(x, eye_y), std::max(2, static_cast<int>(fh * 0.07)), dye(cv::Scalar(40, 50, 60)), -1, cv::LINE_AA);
    cv::ellipse(area, pt(x, eye_y - fh * 0.02), size(fw * 0.22, fh * 0.12), 0, 180, 360, dye(skin * 0.75), 2, cv::LINE_AA);
  }
  const int thin = std::max(1, static_cast<int>(fh / 25));
  cv::line(area, pt(c.x, eye_y + fh * 0.05), pt(c.x - fw * 0.06, c.y + fh * 0.28), dye(skin * 0.7), thin, cv::LINE_AA);
  cv::ellipse(area, pt(c.x, c.y + fh * 0.30), size(fw * 0.14, fh * 0.06), 0, 0, 180, dye(skin * 0.6), thin, cv::LINE_AA);
  cv::ellipse(area, pt(c.x, c.y + fh * 0.55), size(fw * 0.30, fh * 0.08), 0, 0, 180, dye(cv::Scalar(70, 70, 150)),
              std::max(2, static_cast<int>(fh / 15)), cv::LINE_AA);
  cv::GaussianBlur(area, area, {0, 0}, std::max(0.8, w / 150.0));  // a printed photo is soft
}

void draw_visual_zone(cv::Mat& doc, const PageSpec& spec, double px_per_mm, std::mt19937& rng,
                      const Lighting& lighting) {
  const DocumentFields& f = spec.fields;
  auto& text = face(kTextFont);
  const auto mm = [&](double v) { return static_cast<int>(std::lround(v * px_per_mm)); };
  const auto state = find_country(f.issuing_state);
  const std::string title = state ? std::string(state->name) : f.issuing_state;
  text.putText(doc, title.substr(0, 40), {mm(6), mm(8)}, mm(3.2), lighting.colour_ink(cv::Scalar(60, 40, 30), 0.85, 0.2), -1, cv::LINE_AA, true);
  // Portrait area: a face-like shape on a plain background.
  const cv::Rect photo(mm(5), mm(13), mm(f.format == Format::TD1 ? 22 : 32), mm(f.format == Format::TD1 ? 28 : 40));
  if (photo.br().y < doc.rows - mm(16)) {
    // The portrait's dyes are mostly IR-transparent: it fades to a ghost under IR.
    const cv::Scalar backdrop = uniform_colour(rng, 170, 210);
    std::mt19937 looks(spec.seed * 2654435761U + 17U);  // the face's own numbers: the page's stay as they were
    if (spec.portrait) draw_portrait(doc, photo, backdrop, looks, lighting);
  }
  const int x = photo.br().x + mm(5);
  int y = mm(16);
  const auto field = [&](const std::string& label, const std::string& value) {
    if (y > doc.rows - mm(18)) return;
    text.putText(doc, label, {x, y}, mm(1.8), lighting.colour_ink(cv::Scalar(90, 80, 80), 0.9, 0.2), -1, cv::LINE_AA, true);
    text.putText(doc, value.substr(0, 34), {x, y + mm(3.6)}, mm(2.8), lighting.black_ink(cv::Scalar(20, 20, 20), 0.45), -1, cv::LINE_AA, true);
    y += mm(7.5);
  };
  field("Surname / Apellidos", f.surname);
  field("Given names / Nombres", f.given_names);
  field("Nationality / Nacionalidad", f.nationality);
  const auto date = [](const Date& d) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%02d.%02d.%04d", d.day % 100, d.month % 100, d.year % 10000);
    return std::string(buffer);
  };
  field("Date of birth / Fecha de nacimiento", date(f.birth_date));
  field("Document no. / No. de documento", f.document_number);
  field("Date of expiry / Fecha de vencimiento", date(f.expiry_date));
}

// The MRZ ink as a mask (255 = paper), styled like the printing process.
// What security paper shows under UV only: fluorescent fibres scattered through the paper and an
// emblem printed in invisible fluorescent ink. Drawn from their own random numbers, so the white
// page is unchanged.
void draw_fluorescence(cv::Mat& doc, const DocumentFields& f, double px_per_mm, std::uint32_t seed) {
  std::mt19937 rng(seed ^ 0x9e3779b9U);
  cv::Mat glow(doc.size(), CV_8UC3, cv::Scalar::all(0));
  const auto mm = [&](double v) { return static_cast<int>(std::lround(v * px_per_mm)); };
  // The emblem: a sun with rays and the issuing state, right of the personal data.
  const cv::Point centre(doc.cols - mm(f.format == Format::TD1 ? 16 : 24), mm(f.format == Format::TD1 ? 20 : 28));
  const int radius = mm(f.format == Format::TD1 ? 8 : 12);
  const cv::Scalar emblem(110, 235, 190);  // yellow-green
  cv::circle(glow, centre, radius, emblem, std::max(2, mm(0.5)), cv::LINE_AA);
  cv::circle(glow, centre, radius / 2, emblem, -1, cv::LINE_AA);
  for (int ray = 0; ray < 16; ++ray) {
    const double a = ray * CV_PI / 8.0;
    const cv::Point from = centre + cv::Point(static_cast<int>(std::cos(a) * radius * 0.62), static_cast<int>(std::sin(a) * radius * 0.62));
    const cv::Point to = centre + cv::Point(static_cast<int>(std::cos(a) * radius * 0.88), static_cast<int>(std::sin(a) * radius * 0.88));
    cv::line(glow, from, to, emblem, std::max(1, mm(0.3)), cv::LINE_AA);
  }
  face(kTextFont).putText(glow, f.issuing_state, centre + cv::Point(-radius / 2, radius + mm(4.5)), mm(3.5), emblem, -1,
                          cv::LINE_AA, true);
  // Fibres: short curved threads in red, green and blue.
  const cv::Scalar fibre_colours[] = {{70, 60, 255}, {90, 255, 120}, {255, 170, 60}};
  const int fibres = static_cast<int>(doc.cols * doc.rows / (px_per_mm * px_per_mm) / 350.0);
  for (int i = 0; i < fibres; ++i) {
    const double x = uniform(rng, 0, doc.cols);
    const double y = uniform(rng, 0, doc.rows);
    const double angle = uniform(rng, 0, 2 * CV_PI);
    const double bend = uniform(rng, -0.25, 0.25);
    const double length = uniform(rng, 1.5, 4.0) * px_per_mm;
    const double shade = uniform(rng, 0.6, 1.0);
    const cv::Scalar colour = fibre_colours[rng() % 3] * shade;
    std::vector<cv::Point> points;
    for (int k = 0; k <= 8; ++k) {
      const double t = length * k / 8.0;
      const double a = angle + bend * k;
      points.emplace_back(static_cast<int>(x + std::cos(a) * t), static_cast<int>(y + std::sin(a) * t));
    }
    cv::polylines(glow, points, false, colour, std::max(1, mm(0.15)), cv::LINE_AA);
  }
  cv::GaussianBlur(glow, glow, {0, 0}, std::max(0.5, px_per_mm * 0.06));  // fluorescence bleeds a little
  cv::add(doc, glow, doc);
}

cv::Mat render_mrz_mask(const std::vector<std::string>& lines, cv::Size size, double px_per_mm, double left_mm,
                        double first_baseline_mm, double spacing_mm, double pitch_mm, InkStyle ink, std::mt19937& rng) {
  cv::Mat mask(size, CV_8UC3, cv::Scalar::all(255));
  auto& ocrb = face(kOcrbFont);
  const double pitch = pitch_mm * px_per_mm;
  const int height = static_cast<int>(std::lround(2.95 * px_per_mm));  // gives a cap height of ~2.2 mm
  for (std::size_t l = 0; l < lines.size(); ++l) {
    const double baseline = (first_baseline_mm + spacing_mm * static_cast<double>(l)) * px_per_mm;
    for (std::size_t i = 0; i < lines[l].size(); ++i) {
      const double jitter = uniform(rng, -0.04, 0.04) * pitch;  // printer placement tolerance
      const cv::Point org(static_cast<int>(std::lround(left_mm * px_per_mm + pitch * static_cast<double>(i) + jitter)),
                          static_cast<int>(std::lround(baseline)));
      ocrb.putText(mask, std::string(1, lines[l][i]), org, height, cv::Scalar::all(0), -1, cv::LINE_AA, true);
    }
  }
  cv::Mat gray;
  cv::cvtColor(mask, gray, cv::COLOR_BGR2GRAY);
  switch (ink) {
    case InkStyle::Printed: break;
    case InkStyle::LaserEngraved: {
      // Thin grey strokes with a fine granular texture.
      cv::dilate(gray, gray, cv::getStructuringElement(cv::MORPH_ELLIPSE, {2, 2}));
      cv::Mat grain(gray.size(), CV_8UC1);
      cv::randu(grain, 0, 70);
      cv::Mat inked = gray < 128;
      cv::Mat level = cv::Mat(gray.size(), CV_8UC1, cv::Scalar(55)) + grain;
      level.copyTo(gray, inked);
      break;
    }
    case InkStyle::Inkjet: {
      // Ink spread and dropped dots.
      cv::erode(gray, gray, cv::getStructuringElement(cv::MORPH_ELLIPSE, {3, 3}));
      cv::Mat dots(gray.size(), CV_8UC1);
      cv::randu(dots, 0, 100);
      gray.setTo(230, (dots > 93) & (gray < 128));
      cv::GaussianBlur(gray, gray, {3, 3}, 0.7);
      break;
    }
  }
  return gray;
}

cv::Point2f apply(const cv::Matx33d& h, cv::Point2f p) {
  const cv::Vec3d v = h * cv::Vec3d(p.x, p.y, 1.0);
  return {static_cast<float>(v[0] / v[2]), static_cast<float>(v[1] / v[2])};
}

cv::Point2f rotate_point(cv::Point2f p, int rotation, cv::Size before) {
  const float w = static_cast<float>(before.width - 1);
  const float h = static_cast<float>(before.height - 1);
  switch (rotation) {
    case 90: return {h - p.y, p.x};
    case 180: return {w - p.x, h - p.y};
    case 270: return {p.y, w - p.x};
    default: return p;
  }
}

// One capture of the page under one light. Every light draws exactly the same random numbers from
// `rng`, so the document, its placement and the degradation agree between the three images.
Page render(const PageSpec& spec, Light light) {
  Formatted formatted;
  if (spec.mrz_lines.empty()) {
    formatted = format(spec.fields);
    if (!formatted.ok()) {
      for (const auto& problem : formatted.problems) {
        if (problem.severity == Severity::Error) throw std::runtime_error("cannot format the document: " + problem.message);
      }
      throw std::runtime_error("cannot format the document");
    }
  } else {
    formatted.lines = spec.mrz_lines;
  }
  std::mt19937 rng(spec.seed);
  Lighting lighting;
  lighting.light = light;
  lighting.paper_kind = spec.paper;
  lighting.ir_absorbing_inks = spec.ir_absorbing_inks;
  const auto p = params(spec.degradation);
  const double px_per_mm = spec.dpi / kMmPerInch * (1.0 + uniform(rng, -p.scale_jitter, p.scale_jitter));
  const auto g = geometry(spec.fields.format);

  // The document.
  cv::Mat doc(static_cast<int>(g.height_mm * px_per_mm), static_cast<int>(g.width_mm * px_per_mm), CV_8UC3);
  draw_security_background(doc, rng, lighting);
  draw_visual_zone(doc, spec, px_per_mm, rng, lighting);
  if (light == Light::Ultraviolet && spec.paper == Paper::Security) draw_fluorescence(doc, spec.fields, px_per_mm, spec.seed);
  const double line_width_mm = spec.mrz_pitch_mm * static_cast<double>(formatted.lines[0].size());
  const double placement = uniform(rng, -0.8, 0.8);
  const double left_mm = (spec.icao_position ? icao_mrz_left_mm(spec.fields.format) + placement * 0.625
                                             : (g.width_mm - line_width_mm) / 2.0 + placement) +
                         spec.mrz_shift_mm;
  const double lines = static_cast<double>(formatted.lines.size());
  const double first_baseline_mm = g.height_mm - g.last_baseline_from_bottom_mm - g.line_spacing_mm * (lines - 1);
  // The MRZ sits on a clear band (Part 3 §4.3).
  const double band_top = (first_baseline_mm - 4.5) * px_per_mm;
  cv::Mat band = doc(cv::Rect(0, static_cast<int>(band_top), doc.cols, doc.rows - static_cast<int>(band_top)));
  const double band_level = uniform(rng, 235, 250);
  if (spec.print_mrz) {
    const cv::Scalar clear = light == Light::White ? cv::Scalar::all(band_level)
                             : light == Light::Infrared ? cv::Scalar::all(std::min(250.0, band_level))
                                                        : lighting.paper;
    band = band * 0.3 + clear * 0.7;
  }
  if (spec.mrz_on_pasted_strip) {
    // Ordinary paper: bright white, no fibres, glowing under UV; its glued top edge casts a line.
    const cv::Scalar strip = light == Light::White ? cv::Scalar(246, 247, 248)
                             : light == Light::Infrared ? cv::Scalar::all(250)
                                                        : cv::Scalar(252, 236, 214);
    const int top = std::max(0, static_cast<int>(band_top + 1.0 * px_per_mm));
    doc(cv::Rect(0, top, doc.cols, doc.rows - top)).setTo(strip);
    cv::line(doc, {0, top}, {doc.cols, top}, strip * 0.6, std::max(1, static_cast<int>(px_per_mm * 0.15)));
  }
  cv::Mat ink = render_mrz_mask(formatted.lines, doc.size(), px_per_mm, left_mm, first_baseline_mm, g.line_spacing_mm,
                                spec.mrz_pitch_mm, spec.ink, rng);
  // MRZ corners in document pixels: from the cap line of the first line to the baseline of the last.
  const float x0 = static_cast<float>(left_mm * px_per_mm);
  const float x1 = static_cast<float>((left_mm + line_width_mm) * px_per_mm);
  const float y0 = static_cast<float>((first_baseline_mm - 2.25) * px_per_mm);
  const float y1 = static_cast<float>((first_baseline_mm + g.line_spacing_mm * (lines - 1)) * px_per_mm);
  std::array<cv::Point2f, 4> quad{cv::Point2f{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
  if (spec.mrz_skew_degrees != 0.0) {
    const cv::Point2f centre((x0 + x1) / 2.0F, (y0 + y1) / 2.0F);
    const cv::Mat turn = cv::getRotationMatrix2D(centre, -spec.mrz_skew_degrees, 1.0);
    cv::warpAffine(ink, ink, turn, ink.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
    const cv::Matx23d t = turn;
    for (auto& pt : quad)
      pt = {static_cast<float>(t(0, 0) * pt.x + t(0, 1) * pt.y + t(0, 2)), static_cast<float>(t(1, 0) * pt.x + t(1, 1) * pt.y + t(1, 2))};
  }
  if (p.ink_level > 0) ink = ink * (255.0 - p.ink_level) / 255.0 + p.ink_level;  // fainter ink
  // B900 ink absorbs IR as it does visible light; under UV it is only a little darker than the
  // dull paper (on glowing copy paper it shows).
  if (light == Light::Ultraviolet) ink = ink * 0.45 + 140.0;
  if (light == Light::Infrared && !spec.ir_absorbing_inks) ink = ink * 0.08 + 235.0;  // a faint ghost at most
  // Laser engraving carbonises the card: grey in white light, black to infrared.
  if (light == Light::Infrared && spec.ink == InkStyle::LaserEngraved) ink = 255.0 - (255.0 - ink) * 1.6;
  if (spec.print_mrz) {
    cv::Mat ink3;
    cv::cvtColor(ink, ink3, cv::COLOR_GRAY2BGR);
    cv::multiply(doc, ink3, doc, 1.0 / 255.0);
  }


  // On the scanner glass: a margin around the document, then skew and perspective.
  const int margin = static_cast<int>(uniform(rng, 6, 18) * px_per_mm);
  cv::Scalar glass = uniform(rng, 0, 1) < 0.5 ? cv::Scalar::all(uniform(rng, 15, 60)) : cv::Scalar::all(uniform(rng, 200, 240));
  if (spec.background_level >= 0) glass = cv::Scalar::all(spec.background_level);
  if (light == Light::Ultraviolet) glass = cv::Scalar(glass[0] * 0.12 + 8, glass[1] * 0.06 + 3, glass[2] * 0.06 + 3);
  cv::Mat canvas(doc.rows + 2 * margin, doc.cols + 2 * margin, CV_8UC3, glass);
  doc.copyTo(canvas(cv::Rect(margin, margin, doc.cols, doc.rows)));
  cv::Matx33d transform = cv::Matx33d::eye();
  transform(0, 2) = margin;
  transform(1, 2) = margin;

  const double skew = uniform(rng, -p.max_skew_degrees, p.max_skew_degrees);
  if (skew != 0.0 || p.perspective > 0.0) {
    const cv::Point2f centre(static_cast<float>(canvas.cols) / 2.0F, static_cast<float>(canvas.rows) / 2.0F);
    const cv::Matx23d r = cv::getRotationMatrix2D(centre, skew, 1.0);
    cv::Matx33d rotation = cv::Matx33d::eye();
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 3; ++j) rotation(i, j) = r(i, j);
    // Mild perspective: move each corner a little.
    const std::array<cv::Point2f, 4> from{cv::Point2f{0, 0}, {static_cast<float>(canvas.cols), 0},
                                          {static_cast<float>(canvas.cols), static_cast<float>(canvas.rows)},
                                          {0, static_cast<float>(canvas.rows)}};
    std::array<cv::Point2f, 4> to = from;
    for (auto& pt : to) {
      pt.x += static_cast<float>(uniform(rng, -p.perspective, p.perspective) * canvas.cols);
      pt.y += static_cast<float>(uniform(rng, -p.perspective, p.perspective) * canvas.rows);
    }
    const cv::Matx33d perspective = cv::getPerspectiveTransform(from.data(), to.data());
    const cv::Matx33d h = perspective * rotation;
    cv::Mat warped;
    cv::warpPerspective(canvas, warped, h, canvas.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, glass);
    canvas = warped;
    transform = h * transform;
  }
  for (auto& pt : quad) pt = apply(transform, pt);

  // Light and sensor.
  if (p.light_floor < 1.0) {
    cv::Mat gradient(canvas.size(), CV_32FC1);
    const double angle = uniform(rng, 0, 2 * CV_PI);
    const double floor = uniform(rng, p.light_floor, 1.0);
    for (int y = 0; y < canvas.rows; ++y) {
      auto* row = gradient.ptr<float>(y);
      for (int x = 0; x < canvas.cols; ++x) {
        const double t = (std::cos(angle) * x / canvas.cols + std::sin(angle) * y / canvas.rows + 1.0) / 2.0;
        row[x] = static_cast<float>(floor + (1.0 - floor) * std::clamp(t, 0.0, 1.0));
      }
    }
    cv::Mat channels[3];
    cv::split(canvas, channels);
    for (auto& c : channels) {
      cv::Mat f;
      c.convertTo(f, CV_32F);
      f = f.mul(gradient);
      f.convertTo(c, CV_8U);
    }
    cv::merge(channels, 3, canvas);
  }
  if (p.blur_sigma > 0.0) cv::GaussianBlur(canvas, canvas, {0, 0}, uniform(rng, p.blur_sigma * 0.6, p.blur_sigma));
  if (p.noise_sigma > 0.0) {
    cv::Mat noise(canvas.size(), CV_16SC3);
    cv::randn(noise, 0, p.noise_sigma);
    cv::Mat wide;
    canvas.convertTo(wide, CV_16SC3);
    wide += noise;
    wide.convertTo(canvas, CV_8UC3);
  }
  if (p.jpeg_quality > 0) {
    std::vector<unsigned char> bytes;
    cv::imencode(".jpg", canvas, bytes, {cv::IMWRITE_JPEG_QUALITY, p.jpeg_quality});
    canvas = cv::imdecode(bytes, cv::IMREAD_COLOR);
  }

  Page page;
  if (spec.print_mrz) page.mrz_lines = formatted.lines;
  page.skew_degrees = skew;
  if (spec.rotation == 90 || spec.rotation == 180 || spec.rotation == 270) {
    const cv::Size before = canvas.size();
    cv::rotate(canvas, page.image,
               spec.rotation == 90 ? cv::ROTATE_90_CLOCKWISE
                                   : spec.rotation == 180 ? cv::ROTATE_180 : cv::ROTATE_90_COUNTERCLOCKWISE);
    for (auto& pt : quad) pt = rotate_point(pt, spec.rotation, before);
  } else {
    page.image = canvas;
  }
  if (spec.print_mrz) page.mrz_quad = quad;
  if (light == Light::Infrared) cv::cvtColor(page.image, page.image, cv::COLOR_BGR2GRAY);
  return page;
}

}  // namespace

Page render_page(const PageSpec& spec) { return render(spec, Light::White); }

double icao_mrz_left_mm(Format format) {
  switch (format) {
    case Format::TD3: return 6.0;
    case Format::TD1: return 5.0;
    default: return 4.0;
  }
}

cv::Size2d page_size_mm(Format format) {
  const auto g = geometry(format);
  return {g.width_mm, g.height_mm};
}

PageLights render_lights(const PageSpec& spec) {
  PageLights lights;
  lights.white = render(spec, Light::White);
  lights.infrared = render(spec, Light::Infrared).image;
  lights.ultraviolet = render(spec, Light::Ultraviolet).image;
  return lights;
}

}  // namespace mrz::synth
