#include "cairo_page.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <cairo-ft.h>
#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include <opencv2/imgproc.hpp>

namespace render2 {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::Clean: return "clean";
    case Severity::Moderate: return "moderate";
    case Severity::Severe: return "severe";
  }
  return "?";
}

// ---------------------------------------------------------------------------------------------
// Fonts

namespace {
constexpr const char* kOcrbFile = "/usr/share/fonts/opentype/ocr-b/OCRB.otf";
constexpr const char* kSansFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr const char* kSansBoldFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
constexpr const char* kSerifFile = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";
constexpr const char* kCondensedFile = "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf";

cairo_user_data_key_t face_key;
void done_face(void* face) { FT_Done_Face(static_cast<FT_Face>(face)); }
}  // namespace

struct Fonts::Impl {
  FT_Library library = nullptr;
  cairo_font_face_t* ocrb = nullptr;
  cairo_font_face_t* sans = nullptr;
  cairo_font_face_t* sans_bold = nullptr;
  cairo_font_face_t* serif = nullptr;
  cairo_font_face_t* condensed = nullptr;

  cairo_font_face_t* load(const char* path) {
    FT_Face face = nullptr;
    if (FT_New_Face(library, path, 0, &face) != 0) {
      throw std::runtime_error(std::string("cannot load the font ") + path);
    }
    cairo_font_face_t* cairo_face = cairo_ft_font_face_create_for_ft_face(face, 0);
    // Cairo may keep the face in its caches after we drop it: it closes the FreeType face itself.
    if (cairo_font_face_set_user_data(cairo_face, &face_key, face, done_face) != CAIRO_STATUS_SUCCESS) {
      cairo_font_face_destroy(cairo_face);
      FT_Done_Face(face);
      throw std::runtime_error("cairo_font_face_set_user_data failed");
    }
    return cairo_face;
  }
};

Fonts::Fonts() : impl_(std::make_unique<Impl>()) {
  if (FT_Init_FreeType(&impl_->library) != 0) throw std::runtime_error("FreeType does not start");
  impl_->ocrb = impl_->load(kOcrbFile);
  impl_->sans = impl_->load(kSansFile);
  impl_->sans_bold = impl_->load(kSansBoldFile);
  impl_->serif = impl_->load(kSerifFile);
  impl_->condensed = impl_->load(kCondensedFile);
}

Fonts::~Fonts() {
  for (auto* face : {impl_->ocrb, impl_->sans, impl_->sans_bold, impl_->serif, impl_->condensed}) {
    cairo_font_face_destroy(face);
  }
  // The FreeType library stays open: cairo's font cache may still close faces at exit.
}

// ---------------------------------------------------------------------------------------------
// Drawing

namespace {

struct Rgb {
  double r = 0, g = 0, b = 0;
};

Rgb grey(double level) { return {level / 255, level / 255, level / 255}; }
Rgb mix(Rgb a, Rgb b, double t) { return {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t}; }
Rgb scale(Rgb a, double k) { return {a.r * k, a.g * k, a.b * k}; }
void set_colour(cairo_t* cr, Rgb c, double alpha = 1.0) { cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha); }

double mm(double v) { return v * kPxPerMm; }

// The five layouts' sizes and MRZ positions (Doc 9303 Parts 4-7): width and height of the
// document, lines, characters per line, the first character's left edge and the centre line of
// the last MRZ line, measured from the bottom edge; all in millimetres.
struct Geometry {
  double width, height;
  int lines, chars;
  double left, bottom_centre;
};

Geometry geometry_of(mrz::Format format) {
  switch (format) {
    case mrz::Format::TD1: return {85.6, 54.0, 3, 30, 5.0, 7.3};
    case mrz::Format::TD2: return {105.0, 74.0, 2, 36, 4.0, 8.3};
    case mrz::Format::TD3: return {125.0, 88.0, 2, 44, 6.0, 8.3};
    case mrz::Format::MRVA: return {120.0, 80.0, 2, 44, 4.0, 8.3};
    case mrz::Format::MRVB: return {105.0, 74.0, 2, 36, 4.0, 8.3};
    default: throw std::invalid_argument("no geometry for this layout");
  }
}

bool is_visa(mrz::Format f) { return f == mrz::Format::MRVA || f == mrz::Format::MRVB; }

// Upper case for the Latin letters of names (ASCII, Latin-1 and Latin Extended-A).
std::string upper(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : static_cast<char>(c));
      continue;
    }
    if ((c & 0xE0) == 0xC0 && i + 1 < s.size()) {
      unsigned cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
      if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7) cp -= 0x20;
      else if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177)) cp &= ~1u;
      else if (((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) && cp % 2 == 0) cp -= 1;
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      ++i;
      continue;
    }
    out.push_back(static_cast<char>(c));
  }
  return out;
}

double text_width(cairo_t* cr, const std::string& text) {
  cairo_text_extents_t e;
  cairo_text_extents(cr, text.c_str(), &e);
  return e.x_advance;
}

// Draws `text` with its baseline at y, shrinking the size until it fits `max_width`.
void draw_text(cairo_t* cr, cairo_font_face_t* face, double size, double x, double y, const std::string& text,
               double max_width, bool centred = false) {
  cairo_set_font_face(cr, face);
  cairo_set_font_size(cr, size);
  double w = text_width(cr, text);
  if (w > max_width && w > 0) {
    cairo_set_font_size(cr, size * max_width / w);
    w = max_width;
  }
  cairo_move_to(cr, centred ? x + (max_width - w) / 2 : x, y);
  cairo_show_text(cr, text.c_str());
}

void rounded_rectangle(cairo_t* cr, double x, double y, double w, double h, double r) {
  cairo_new_sub_path(cr);
  cairo_arc(cr, x + w - r, y + r, r, -std::numbers::pi / 2, 0);
  cairo_arc(cr, x + w - r, y + h - r, r, 0, std::numbers::pi / 2);
  cairo_arc(cr, x + r, y + h - r, r, std::numbers::pi / 2, std::numbers::pi);
  cairo_arc(cr, x + r, y + r, r, std::numbers::pi, 3 * std::numbers::pi / 2);
  cairo_close_path(cr);
}

struct Cell {
  std::string label;
  std::string value;
};
using Row = std::vector<Cell>;

std::string sex_in_words(char sex) { return sex == 'M' ? "M" : sex == 'F' ? "F" : "X"; }

std::vector<Row> viz_rows(const RandomDocument& doc, int date_style, bool bilingual) {
  const auto& f = doc.fields;
  auto label = [bilingual](const char* en, const char* es) {
    return bilingual ? std::string(en) + " / " + es : std::string(en);
  };
  const std::string number = f.document_number;
  const std::string surname = upper(f.surname);
  const std::string given = upper(f.given_names);
  const std::string birth = f.birth_date.day == 0 ? "XX" + viz_date(f.birth_date, date_style).substr(2)
                                                  : viz_date(f.birth_date, date_style);
  std::vector<Row> rows;
  if (is_visa(f.format)) {
    rows.push_back({{label("Valid for", "Válida para"), doc.state_name}});
    rows.push_back({{label("From", "Desde"), viz_date(doc.issue_date, date_style)},
                    {label("Until", "Hasta"), viz_date(f.expiry_date, date_style)}});
    rows.push_back({{label("Type of visa", "Tipo"), doc.visa_type},
                    {label("Entries", "Entradas"), doc.entries},
                    {label("Duration", "Duración"), "90 DAYS"}});
    rows.push_back({{label("Issued in", "Expedida en"), doc.authority}});
    rows.push_back({{label("Surname, name", "Apellidos, nombre"), surname + ", " + given}});
    rows.push_back({{label("Passport", "Pasaporte"), number}, {label("Nationality", "Nacionalidad"), f.nationality}});
    rows.push_back({{label("Remarks", "Observaciones"), "-"}});
    return rows;
  }
  if (f.format == mrz::Format::TD3) {
    rows.push_back({{label("Type", "Tipo"), f.document_code},
                    {label("Code", "Código"), f.issuing_state},
                    {label("Passport No.", "Pasaporte N.º"), number}});
  }
  rows.push_back({{label("Surname", "Apellidos"), surname}});
  rows.push_back({{label("Given names", "Nombres"), given}});
  if (f.format == mrz::Format::TD3) {
    rows.push_back({{label("Nationality", "Nacionalidad"), doc.nationality_name}});
    rows.push_back({{label("Date of birth", "Fecha de nacimiento"), birth},
                    {label("Sex", "Sexo"), sex_in_words(f.sex)},
                    {label("Place of birth", "Lugar"), doc.place_of_birth}});
  } else {
    rows.push_back({{label("Sex", "Sexo"), sex_in_words(f.sex)},
                    {label("Nationality", "Nacionalidad"), f.nationality},
                    {label("Date of birth", "Nacimiento"), birth}});
    rows.push_back({{label("Document No.", "Documento"), number},
                    {label("Expiry", "Vencimiento"), viz_date(f.expiry_date, date_style)}});
  }
  if (f.format == mrz::Format::TD3) {
    rows.push_back({{label("Date of issue", "Expedición"), viz_date(doc.issue_date, date_style)},
                    {label("Date of expiry", "Vencimiento"), viz_date(f.expiry_date, date_style)}});
    rows.push_back({{label("Authority", "Autoridad"), doc.authority}});
  } else {
    rows.push_back({{label("Date of issue", "Expedición"), viz_date(doc.issue_date, date_style)},
                    {label("Authority", "Autoridad"), doc.authority}});
  }
  return rows;
}

std::string title_of(mrz::Format format, bool bilingual) {
  switch (format) {
    case mrz::Format::TD3: return bilingual ? "PASAPORTE / PASSPORT / PASSEPORT" : "PASSPORT";
    case mrz::Format::TD1: return bilingual ? "DOCUMENTO DE IDENTIDAD / IDENTITY CARD" : "IDENTITY CARD";
    case mrz::Format::TD2: return bilingual ? "DOCUMENTO DE VIAJE / TRAVEL DOCUMENT" : "TRAVEL DOCUMENT";
    default: return "VISA";
  }
}

// The choices that make one page look unlike another.
struct Style {
  Rgb bed;
  Rgb paper;
  Rgb theme;   // labels and security print
  Rgb ink;     // laser/inkjet toner of the personalisation
  double rotation = 0;  // radians
  // MRZ printing
  cairo_antialias_t antialias = CAIRO_ANTIALIAS_GRAY;
  cairo_hint_style_t hint = CAIRO_HINT_STYLE_NONE;
  cairo_hint_metrics_t metrics = CAIRO_HINT_METRICS_OFF;
  double cap_mm = 2.42;
  double x_scale = 1.0;
  double embolden_px = 0;  // 0: cairo_show_text; else glyph outlines filled and stroked this wide
  double pitch_mm = 2.54;
  double line_spacing_mm = 4.23;
  double left_mm = 0;
  double bottom_centre_mm = 0;
  double jitter_px = 0;  // per-character placement noise (inkjet)
  // visual zone
  int date_style = 0;
  bool bilingual = true;
  cairo_font_face_t* value_face = nullptr;
  cairo_font_face_t* label_face = nullptr;
};

const char* antialias_name(cairo_antialias_t a) {
  switch (a) {
    case CAIRO_ANTIALIAS_NONE: return "none";
    case CAIRO_ANTIALIAS_GRAY: return "gray";
    case CAIRO_ANTIALIAS_DEFAULT: return "default";
    case CAIRO_ANTIALIAS_FAST: return "fast";
    case CAIRO_ANTIALIAS_GOOD: return "good";
    case CAIRO_ANTIALIAS_BEST: return "best";
    default: return "other";
  }
}

const char* hint_name(cairo_hint_style_t h) {
  switch (h) {
    case CAIRO_HINT_STYLE_NONE: return "none";
    case CAIRO_HINT_STYLE_SLIGHT: return "slight";
    case CAIRO_HINT_STYLE_MEDIUM: return "medium";
    case CAIRO_HINT_STYLE_FULL: return "full";
    default: return "default";
  }
}

Style choose_style(const Geometry& g, Severity severity, const Fonts::Impl& fonts, Rng& rng) {
  Style s;
  static constexpr Rgb kThemes[] = {{0.45, 0.62, 0.50}, {0.70, 0.45, 0.55}, {0.40, 0.52, 0.72},
                                    {0.70, 0.60, 0.40}, {0.58, 0.48, 0.70}, {0.35, 0.55, 0.62}};
  s.theme = kThemes[rng.between(0, 5)];
  const double bed_kind = rng.uniform();
  if (severity == Severity::Severe) {
    // A phone photo on a desk: wood, grey laminate or a dark counter.
    static constexpr Rgb kDesks[] = {{0.55, 0.42, 0.30}, {0.45, 0.45, 0.47}, {0.18, 0.18, 0.20}, {0.70, 0.68, 0.62}};
    s.bed = kDesks[rng.between(0, 3)];
  } else if (bed_kind < 0.6) {
    s.bed = grey(rng.uniform(228, 248));  // closed white lid
  } else if (bed_kind < 0.85) {
    s.bed = grey(rng.uniform(18, 55));    // lid open: black
  } else {
    s.bed = grey(rng.uniform(120, 170));  // grey lid
  }
  double paper_level = rng.uniform(232, 250);
  double ink_level = rng.uniform(8, 45);
  if (severity == Severity::Severe && rng.chance(0.75)) {
    paper_level = rng.uniform(192, 210);
    ink_level = rng.uniform(90, 120);
  } else if (severity == Severity::Moderate) {
    paper_level = rng.uniform(220, 245);
    ink_level = rng.uniform(20, 70);
  }
  s.paper = mix(grey(paper_level), scale(s.theme, paper_level / 255), rng.uniform(0.03, 0.10));
  s.ink = grey(ink_level);
  if (rng.chance(0.3)) s.ink = mix(s.ink, Rgb{0.05, 0.05, 0.25}, 0.25);  // bluish-black toner

  const double max_rotation = severity == Severity::Clean ? 0.0 : severity == Severity::Moderate ? 3.0 : 8.0;
  s.rotation = rng.uniform(-max_rotation, max_rotation) * std::numbers::pi / 180;

  const double aa = rng.uniform();
  s.antialias = aa < 0.45 ? CAIRO_ANTIALIAS_GRAY : aa < 0.85 ? CAIRO_ANTIALIAS_DEFAULT : CAIRO_ANTIALIAS_NONE;
  static constexpr cairo_hint_style_t kHints[] = {CAIRO_HINT_STYLE_NONE, CAIRO_HINT_STYLE_SLIGHT, CAIRO_HINT_STYLE_FULL};
  s.hint = kHints[rng.between(0, 2)];
  s.metrics = rng.chance(0.5) ? CAIRO_HINT_METRICS_ON : CAIRO_HINT_METRICS_OFF;
  // OCR-B size I: capitals about 2.4 mm high; printers vary a little either way.
  s.cap_mm = 2.42 * rng.uniform(0.90, 1.05);
  s.x_scale = rng.uniform(0.90, 1.10);
  const double weight = rng.uniform();
  if (weight < 0.55) s.embolden_px = rng.uniform(0.4, 1.8);  // heavier toner
  s.pitch_mm = 2.54 * rng.uniform(0.994, 1.006);
  s.line_spacing_mm = 4.23 * rng.uniform(0.98, 1.02);
  s.left_mm = g.left + rng.uniform(-0.7, 0.7);
  s.bottom_centre_mm = g.bottom_centre + rng.uniform(-0.5, 0.5);
  s.jitter_px = rng.chance(0.3) ? rng.uniform(0.2, 0.9) : 0.0;
  s.date_style = rng.between(0, 2);
  s.bilingual = rng.chance(0.6);
  s.value_face = rng.chance(0.6) ? fonts.sans_bold : (rng.chance(0.5) ? fonts.sans : fonts.serif);
  s.label_face = rng.chance(0.5) ? fonts.sans : fonts.condensed;
  return s;
}

// Pale wavy lines of security printing over the visual zone (not over the MRZ).
void security_print(cairo_t* cr, double w, double h, const Style& s, Rng& rng) {
  const Rgb tint = mix(s.paper, s.theme, rng.uniform(0.25, 0.45));
  set_colour(cr, tint);
  cairo_set_line_width(cr, rng.uniform(0.6, 1.1));
  const int waves = rng.between(10, 22);
  const double wavelength = rng.uniform(0.25, 0.6) * w;
  const double amplitude = rng.uniform(0.03, 0.08) * h;
  for (int k = 0; k < waves; ++k) {
    const double y0 = h * k / waves;
    const double phase = k * rng.uniform(0.2, 0.5);
    cairo_move_to(cr, 0, y0 + amplitude * std::sin(phase));
    for (double x = 4; x <= w; x += 4) {
      cairo_line_to(cr, x, y0 + amplitude * std::sin(2 * std::numbers::pi * x / wavelength + phase));
    }
    cairo_stroke(cr);
  }
  // a rosette
  const double cx = rng.uniform(0.45, 0.8) * w;
  const double cy = rng.uniform(0.3, 0.6) * h;
  const double r = rng.uniform(0.12, 0.2) * h;
  for (int k = 0; k < 24; ++k) {
    cairo_new_sub_path(cr);
    const double a = 2 * std::numbers::pi * k / 24;
    cairo_arc(cr, cx + 0.5 * r * std::cos(a), cy + 0.5 * r * std::sin(a), 0.5 * r, 0, 2 * std::numbers::pi);
  }
  cairo_stroke(cr);
}

void portrait(cairo_t* cr, double x, double y, double w, double h, Rng& rng) {
  const double level = rng.uniform(140, 195);
  set_colour(cr, grey(level));
  cairo_save(cr);
  cairo_rectangle(cr, x, y, w, h);
  cairo_fill_preserve(cr);
  cairo_clip(cr);
  // head and shoulders, a little darker
  set_colour(cr, grey(level - rng.uniform(25, 45)));
  cairo_save(cr);
  cairo_translate(cr, x + w / 2, y + h * 0.40);
  cairo_scale(cr, w * 0.26, h * 0.24);
  cairo_arc(cr, 0, 0, 1, 0, 2 * std::numbers::pi);
  cairo_restore(cr);
  cairo_fill(cr);
  cairo_save(cr);
  cairo_translate(cr, x + w / 2, y + h * 1.02);
  cairo_scale(cr, w * 0.48, h * 0.30);
  cairo_arc(cr, 0, 0, 1, std::numbers::pi, 2 * std::numbers::pi);
  cairo_restore(cr);
  cairo_fill(cr);
  cairo_restore(cr);  // clip
}

// The machine-readable zone, one glyph per 2.54 mm cell.
void draw_mrz(cairo_t* cr, const RandomDocument& doc, const Style& s, const Fonts::Impl& fonts,
              double doc_h, Rng& rng) {
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_antialias(options, s.antialias);
  cairo_font_options_set_hint_style(options, s.hint);
  cairo_font_options_set_hint_metrics(options, s.metrics);
  cairo_set_font_options(cr, options);
  cairo_font_options_destroy(options);
  cairo_set_antialias(cr, s.antialias);

  cairo_set_font_face(cr, fonts.ocrb);
  cairo_set_font_size(cr, 100);
  cairo_text_extents_t probe;
  cairo_text_extents(cr, "H", &probe);
  const double cap_px = mm(s.cap_mm);
  const double size = 100 * cap_px / probe.height;
  cairo_set_font_size(cr, size);
  cairo_text_extents(cr, "0", &probe);
  const double advance = probe.x_advance * s.x_scale;
  const double pitch = mm(s.pitch_mm);

  set_colour(cr, s.ink);
  const int n = static_cast<int>(doc.mrz_lines.size());
  for (int i = 0; i < n; ++i) {
    const double centre = doc_h - mm(s.bottom_centre_mm + (n - 1 - i) * s.line_spacing_mm);
    const double baseline = centre + cap_px / 2;
    const std::string& line = doc.mrz_lines[static_cast<std::size_t>(i)];
    for (std::size_t j = 0; j < line.size(); ++j) {
      const char text[2] = {line[j], '\0'};
      const double jx = s.jitter_px > 0 ? rng.normal() * s.jitter_px : 0.0;
      const double jy = s.jitter_px > 0 ? rng.normal() * s.jitter_px : 0.0;
      const double x = mm(s.left_mm) + static_cast<double>(j) * pitch + (pitch - advance) / 2 + jx;
      cairo_save(cr);
      cairo_translate(cr, x, baseline + jy);
      cairo_scale(cr, s.x_scale, 1.0);
      cairo_move_to(cr, 0, 0);
      if (s.embolden_px > 0) {
        cairo_text_path(cr, text);
        cairo_restore(cr);
        cairo_set_line_width(cr, s.embolden_px);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_fill_preserve(cr);
        cairo_stroke(cr);
      } else {
        cairo_show_text(cr, text);
        cairo_restore(cr);
      }
    }
  }
  cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
  cairo_font_options_t* plain = cairo_font_options_create();
  cairo_set_font_options(cr, plain);
  cairo_font_options_destroy(plain);
}

void draw_document(cairo_t* cr, const RandomDocument& doc, const Geometry& g, const Style& s, const Fonts::Impl& fonts,
                   Rng& rng) {
  const double w = mm(g.width);
  const double h = mm(g.height);
  const bool visa = is_visa(doc.fields.format);
  const double corner = visa ? mm(rng.uniform(0.5, 2.0)) : mm(3.18);

  // The shadow of a card on the glass (a visa lies on its passport page, drawn first).
  if (visa) {
    const double pad_l = mm(rng.uniform(1, 4)), pad_r = mm(rng.uniform(1, 5)), pad_t = mm(rng.uniform(2, 6)),
                 pad_b = mm(rng.uniform(1, 4));
    set_colour(cr, mix(s.paper, grey(235), 0.4));
    cairo_rectangle(cr, -pad_l, -pad_t, w + pad_l + pad_r, h + pad_t + pad_b);
    cairo_fill(cr);
    set_colour(cr, mix(s.paper, s.theme, 0.2));
    cairo_set_line_width(cr, 1.0);
    for (double y = -pad_t + 6; y < h + pad_b; y += 9) {
      cairo_move_to(cr, -pad_l, y);
      cairo_line_to(cr, w + pad_r, y + 3);
    }
    cairo_stroke(cr);
  } else {
    for (int k = 4; k >= 1; --k) {
      set_colour(cr, grey(0), 0.06);
      rounded_rectangle(cr, k * 0.8, k * 1.2, w, h, corner);
      cairo_fill(cr);
    }
  }
  set_colour(cr, s.paper);
  rounded_rectangle(cr, 0, 0, w, h, corner);
  cairo_fill_preserve(cr);
  cairo_save(cr);
  cairo_clip(cr);

  // The visual zone ends a few millimetres above the first MRZ line.
  const double mrz_top_mm = s.bottom_centre_mm + (g.lines - 1) * s.line_spacing_mm + s.cap_mm / 2;
  const double viz_bottom = h - mm(mrz_top_mm + rng.uniform(3.0, 5.0));
  cairo_save(cr);
  cairo_rectangle(cr, 0, 0, w, viz_bottom);
  cairo_clip(cr);
  security_print(cr, w, viz_bottom, s, rng);
  cairo_restore(cr);
  if (rng.chance(0.4)) {  // a printed rule between the zones
    set_colour(cr, mix(s.paper, s.theme, 0.6));
    cairo_set_line_width(cr, 1.5);
    cairo_move_to(cr, mm(2), viz_bottom + mm(1));
    cairo_line_to(cr, w - mm(2), viz_bottom + mm(1));
    cairo_stroke(cr);
  }

  // Header: the state and the kind of document.
  const double scale_k = std::clamp(g.height / 88.0, 0.75, 1.0);
  const Rgb header_colour = mix(s.theme, grey(20), 0.55);
  set_colour(cr, header_colour);
  const double header1 = mm(2.8 + 2.4 * scale_k);
  draw_text(cr, fonts.sans_bold, mm(3.0 * scale_k), mm(3), header1, doc.state_name, w - mm(6), true);
  const double header2 = header1 + mm(4.0 * scale_k);
  draw_text(cr, fonts.sans, mm(2.6 * scale_k), mm(3), header2, title_of(doc.fields.format, s.bilingual), w - mm(6),
            true);

  // Portrait box left, fields right.
  const double top = header2 + mm(2.0);
  const double portrait_h = std::max(mm(8), viz_bottom - top - mm(1.5));
  const double portrait_w = std::min(portrait_h * 0.78, w * 0.3);
  const double portrait_x = mm(rng.uniform(3.0, 5.0));
  portrait(cr, portrait_x, top, portrait_w, portrait_h, rng);

  const double col_x = portrait_x + portrait_w + mm(rng.uniform(3.0, 5.0));
  const double col_w = w - col_x - mm(3);
  const double label_size = mm(1.75 * scale_k);
  const double value_size = mm(rng.uniform(2.6, 3.2) * scale_k);
  const double row_h = label_size * 1.05 + value_size * 1.05 + mm(0.6);
  const auto rows = viz_rows(doc, s.date_style, s.bilingual);
  double y = top;
  const Rgb label_colour = mix(s.theme, grey(30), 0.35);
  for (const Row& row : rows) {
    if (y + row_h > viz_bottom) break;
    const double cell_w = col_w / static_cast<double>(row.size());
    for (std::size_t c = 0; c < row.size(); ++c) {
      const double x = col_x + static_cast<double>(c) * cell_w;
      set_colour(cr, label_colour);
      draw_text(cr, s.label_face, label_size, x, y + label_size * 0.8, row[c].label, cell_w - mm(1));
      set_colour(cr, s.ink);
      draw_text(cr, s.value_face, value_size, x, y + label_size * 1.05 + value_size * 0.78, row[c].value,
                cell_w - mm(1));
    }
    y += row_h;
  }
  draw_mrz(cr, doc, s, fonts, h, rng);
  cairo_restore(cr);  // clip
  // The edge of the card or sticker.
  set_colour(cr, scale(s.paper, 0.8), 0.8);
  cairo_set_line_width(cr, 1.0);
  rounded_rectangle(cr, 0, 0, w, h, corner);
  cairo_stroke(cr);
}

}  // namespace

RenderedPage render_page(const RandomDocument& doc, Severity severity, const Fonts& fonts, Rng& rng) {
  const Geometry g = geometry_of(doc.fields.format);
  const Fonts::Impl& f = fonts.impl();
  const Style s = choose_style(g, severity, f, rng);

  const double w = mm(g.width);
  const double h = mm(g.height);
  const double c = std::abs(std::cos(s.rotation));
  const double sn = std::abs(std::sin(s.rotation));
  const double box_w = w * c + h * sn;
  const double box_h = w * sn + h * c;
  const double min_margin = severity == Severity::Clean ? 7.0 : 8.0;
  const double ml = mm(rng.uniform(min_margin, 18)), mr = mm(rng.uniform(min_margin, 18));
  const double mt = mm(rng.uniform(min_margin, 18)), mb = mm(rng.uniform(min_margin, 18));
  const int canvas_w = static_cast<int>(std::ceil(box_w + ml + mr));
  const int canvas_h = static_cast<int>(std::ceil(box_h + mt + mb));

  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, canvas_w, canvas_h);
  cairo_t* cr = cairo_create(surface);
  set_colour(cr, s.bed);
  cairo_paint(cr);

  cairo_translate(cr, ml + box_w / 2, mt + box_h / 2);
  cairo_rotate(cr, s.rotation);
  cairo_translate(cr, -w / 2, -h / 2);
  draw_document(cr, doc, g, s, f, rng);

  RenderedPage page;
  auto to_image = [cr](double x, double y) {
    cairo_user_to_device(cr, &x, &y);
    return cv::Point2f(static_cast<float>(x), static_cast<float>(y));
  };
  page.document_corners = {to_image(0, 0), to_image(w, 0), to_image(w, h), to_image(0, h)};
  const double pitch = mm(s.pitch_mm);
  const double x0 = mm(s.left_mm);
  const double x1 = x0 + pitch * g.chars;
  const double y1 = h - mm(s.bottom_centre_mm - s.cap_mm / 2);
  const double y0 = h - mm(s.bottom_centre_mm + (g.lines - 1) * s.line_spacing_mm + s.cap_mm / 2);
  page.mrz_corners = {to_image(x0, y0), to_image(x1, y0), to_image(x1, y1), to_image(x0, y1)};
  page.document_size = cv::Size2f(static_cast<float>(w), static_cast<float>(h));
  page.mrz_top = static_cast<float>(y0);
  page.paper_grey = 255 * (s.paper.r + s.paper.g + s.paper.b) / 3;

  char style[256];
  std::snprintf(style, sizeof style, "aa=%s hint=%s metrics=%s cap=%.2fmm xscale=%.2f bold=%.1fpx jitter=%.1fpx ink=%.0f paper=%.0f rot=%.1fdeg",
                antialias_name(s.antialias), hint_name(s.hint), s.metrics == CAIRO_HINT_METRICS_ON ? "on" : "off", s.cap_mm,
                s.x_scale, s.embolden_px, s.jitter_px, 255 * s.ink.g, page.paper_grey, s.rotation * 180 / std::numbers::pi);
  page.style = style;

  cairo_destroy(cr);
  cairo_surface_flush(surface);
  const cv::Mat bgra(canvas_h, canvas_w, CV_8UC4, cairo_image_surface_get_data(surface),
                     static_cast<std::size_t>(cairo_image_surface_get_stride(surface)));
  cv::cvtColor(bgra, page.bgr, cv::COLOR_BGRA2BGR);
  cairo_surface_destroy(surface);
  return page;
}

}  // namespace render2
