// What the station makes of a captured page, on a worker: the MRZ read from the white image, the
// portrait zone it implies, and the optical security features under the other lights.
#pragma once

#include <vector>

#include "firmware_bridge/page_reader.hpp"
#include "mrz_optical/read.hpp"
#include "security/page_examiner.hpp"

namespace borderpost::station {

struct PageReading {
  mrz::optical::ReadResult read;
  std::vector<unsigned char> portrait;  // JPEG of the portrait zone; empty when none
  SecurityFacts security;
};

// `lamps_failed`: lights missing because the reader's lamp would not switch on (a device fault).
PageReading read_page(const mrz::optical::Reader& reader, const security::PageExaminer& examiner, int dpi,
                      const std::vector<unsigned char>& white, const std::vector<bridge::PageImage>& captured,
                      const std::vector<bridge::Light>& lamps_failed, const mrz::optical::ReadOptions& options);

}  // namespace borderpost::station
