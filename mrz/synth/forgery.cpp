// Genuine documents and their forgeries (see forgery.hpp).
#include "mrz_synth/forgery.hpp"

#include <array>
#include <sstream>
#include <string>

namespace mrz::synth {

std::string_view to_string(Forgery forgery) {
  switch (forgery) {
    case Forgery::ColourPhotocopy: return "colour-photocopy";
    case Forgery::SubstitutedMrz: return "substituted-mrz";
    case Forgery::VizMismatch: return "viz-mismatch";
    case Forgery::MissingPhoto: return "missing-photo";
  }
  return "colour-photocopy";
}

namespace {

double uniform(std::mt19937& rng, double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); }

// Another date, a few years or months away (a forger's new birth date or a later expiry).
Date moved(Date date, int years, int months) {
  int month = date.month - 1 + months;
  date.year += years + (month < 0 ? -1 : month / 12);
  date.month = (month % 12 + 12) % 12 + 1;
  date.day = std::min(date.day, 28);
  date.raw.clear();
  return date;
}

bool shares_a_word(const std::string& a, const std::string& b) {
  std::istringstream first(a);
  for (std::string word; first >> word;) {
    std::istringstream second(b);
    for (std::string other; second >> other;)
      if (word == other) return true;
  }
  return false;
}

}  // namespace

PageSpec genuine_document(std::mt19937& rng, Format format) {
  PageSpec spec;
  spec.fields = random_fields(rng, format);
  spec.seed = static_cast<std::uint32_t>(rng());
  spec.degradation = rng() % 3 == 0 ? Degradation::Mild : Degradation::Clean;
  spec.ink = rng() % 4 == 0 ? InkStyle::LaserEngraved : InkStyle::Printed;
  spec.icao_position = true;
  spec.background_level = static_cast<int>(uniform(rng, 8, 55));  // the reader's closed, dark hood
  return spec;
}

PageSpec forged(const PageSpec& genuine, Forgery forgery, std::mt19937& rng) {
  PageSpec spec = genuine;
  switch (forgery) {
    case Forgery::ColourPhotocopy:
      spec.paper = Paper::Copy;
      spec.ir_absorbing_inks = false;
      break;
    case Forgery::SubstitutedMrz: {
      DocumentFields altered = genuine.fields;
      const int months = static_cast<int>(rng() % 12);  // draws in their own statements: same seed, same
      const int years = static_cast<int>(rng() % 6) + 3;  // forgery, whatever the compiler's argument order
      altered.expiry_date = moved(altered.expiry_date, years, months);
      spec.mrz_lines = format(altered).lines;
      spec.mrz_on_pasted_strip = true;
      // Printed on an office printer and glued by hand: the pitch of a near-enough font size, the
      // strip a little off and askew.
      const int sign = rng() % 2 ? 1 : -1;
      spec.mrz_pitch_mm = 2.54 * (1.0 + sign * uniform(rng, 0.0, 0.09));
      spec.mrz_shift_mm = uniform(rng, -2.0, 2.0);
      spec.mrz_skew_degrees = uniform(rng, -2.5, 2.5);
      break;
    }
    case Forgery::VizMismatch: {
      spec.mrz_lines = format(genuine.fields).lines;  // the MRZ stays; the page is changed
      // A birth date the MRZ leaves unknown cannot disagree: change the number instead.
      const unsigned variant = static_cast<unsigned>(rng() % 3);
      switch (variant == 1 && !genuine.fields.birth_date.complete() ? 2 : variant) {
        case 0: {
          std::mt19937 names(static_cast<std::uint32_t>(rng()));
          DocumentFields other = random_fields(names, genuine.fields.format);
          // Another family name altogether: no word of the holder's left in it.
          while (shares_a_word(other.surname, genuine.fields.surname)) other = random_fields(names, genuine.fields.format);
          spec.fields.surname = other.surname;
          break;
        }
        case 1: {
          const int months = static_cast<int>(rng() % 12);
          const int years = -static_cast<int>(rng() % 9) - 2;
          spec.fields.birth_date = moved(genuine.fields.birth_date, years, months);
          break;
        }
        default: {
          std::string& number = spec.fields.document_number;
          const std::size_t at = number.size() - 1 - rng() % std::min<std::size_t>(4, number.size());
          number[at] = number[at] == '7' ? '3' : '7';
          break;
        }
      }
      break;
    }
    case Forgery::MissingPhoto:
      spec.portrait = false;
      break;
  }
  return spec;
}

}  // namespace mrz::synth
