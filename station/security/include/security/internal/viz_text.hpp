// The visual inspection zone's printed text against the MRZ: Tesseract reads the zone, and each
// MRZ field (names, document number, dates) is looked for in what it read, tolerant of diacritics,
// transliteration (MÜLLER / MUELLER), OCR's letter-digit confusions and truncated MRZ names.
// Internal to station_security; compare_viz_text is pure and tested on its own.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <opencv2/core.hpp>

#include "mrz/document.hpp"
#include "security/facts.hpp"

namespace borderpost::station::security {

// Which of the MRZ's fields the text shows (`missing` stays none).
VizFacts compare_viz_text(std::string_view ocr_text, const mrz::Document& document);

// Tesseract's text of an 8-bit gray image; nullopt when Tesseract cannot start (no language data).
// One recogniser per calling thread, started on first use.
std::optional<std::string> recognise_text(const cv::Mat& gray, const std::string& tessdata);

}  // namespace borderpost::station::security
