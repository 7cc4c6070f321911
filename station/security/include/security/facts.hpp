// What the page images measured of a document's optical security features (white, infrared and
// ultraviolet light), for the security.* checks. Numbers only: station/security measures them from
// the images, the checks (inspection) judge them against the post's rules.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace borderpost::station {

// Why a feature was not measured.
enum class NotMeasured {
  none,              // it was measured
  no_page_images,    // the MRZ was typed: there are no page images
  text_only,         // an MRZ line reader sent the MRZ as text: there are no page images
  no_light,          // the reader did not capture under the light this feature needs
  lamp_failed,       // the reader's lamp for that light could not be switched on (a device fault)
  no_mrz_position,   // the MRZ was not found on the page, so nothing can be located from it
  other_side,        // on this layout it is on the other side (a TD1 card's portrait and visual
                     // zone are on the front, its MRZ on the back)
  image_unusable,    // the image under that light could not be decoded
  no_ocr,            // the text recogniser is not installed
  no_face_model,     // the face detector's model is not installed
};
std::string_view to_string(NotMeasured why);  // "no-page-images", "no-light", ...

// security.ir_mrz: the MRZ's print contrast signal under infrared (Doc 9303 Part 3 4.11: B900
// ink, PCS >= 0.6), and whether the infrared image reads as the white one does.
struct IrMrzFacts {
  NotMeasured missing = NotMeasured::no_page_images;
  double contrast = 0;      // (paper - ink) / paper in the MRZ zone, 0..1
  bool read = false;        // an MRZ was read from the infrared image
  bool same_as_white = false;
  bool both_certain = false;  // both readings are valid with every character vouched for, so a
                              // difference is in the print, not the reading
};

// security.uv_dull: how bright the page is under ultraviolet (0..1 of full scale; security paper
// is dull, paper with optical brighteners glows), over the data page and over the MRZ zone alone
// (a strip of other paper glued over the MRZ glows there).
struct UvFacts {
  NotMeasured missing = NotMeasured::no_page_images;
  double page_brightness = 0;
  double mrz_zone_brightness = 0;
};

// security.photo_present: faces found in the portrait zone the MRZ's position implies.
struct PortraitFacts {
  NotMeasured missing = NotMeasured::no_page_images;
  int faces = 0;
  double face_share = 0;  // the largest face's area over the zone's, 0..1
};

// security.viz_matches_mrz: the visual zone read by OCR against the MRZ, field by field
// ("surname", "given_names", "document_number", "birth_date", "expiry_date").
struct VizFacts {
  NotMeasured missing = NotMeasured::no_page_images;
  std::vector<std::string> agree;
  std::vector<std::string> disagree;  // the MRZ's value was not found in the visual zone
  int characters_read = 0;            // letters and digits the OCR found in the zone
};

// security.mrz_print: the MRZ's print geometry in millimetres (the scale comes from the reader's
// resolution); the position and the skew need the page's edges, found or not.
struct PrintFacts {
  NotMeasured missing = NotMeasured::no_page_images;
  double pitch_mm = 0;
  double line_spacing_mm = 0;          // 0: the lines could not be told apart
  std::optional<double> left_mm;       // the first character's left edge from the page's left edge
  std::optional<double> skew_degrees;  // the MRZ lines against the page's bottom edge
  double nominal_left_mm = 0;          // where Doc 9303 puts it for the layout
  double nominal_line_spacing_mm = 0;
};

struct SecurityFacts {
  IrMrzFacts ir_mrz;
  UvFacts uv;
  PortraitFacts portrait;
  VizFacts viz;
  PrintFacts print;
};

// A page none of whose features was measured, for one reason.
inline SecurityFacts unmeasured_page(NotMeasured why) {
  SecurityFacts facts;
  facts.ir_mrz.missing = facts.uv.missing = facts.portrait.missing = facts.viz.missing = facts.print.missing = why;
  return facts;
}

// The post's tolerances for the security.* checks (Doc 9303's where it gives them).
struct SecurityRules {
  double ir_min_contrast = 0.6;         // Doc 9303 Part 3 4.11: PCS >= 0.6 at B900
  double uv_max_brightness = 0.45;      // brighter than this under UV: paper with brighteners
  double pitch_tolerance = 0.05;        // relative, around 2.54 mm
  double line_spacing_tolerance_mm = 0.5;
  double position_tolerance_mm = 1.0;   // Doc 9303 Parts 4-7: nominal +/- 1.0 mm
  double max_skew_degrees = 3.0;        // Doc 9303 Part 3 4.11
  int viz_min_characters = 20;          // fewer read: the visual zone is illegible, not different
};

}  // namespace borderpost::station
