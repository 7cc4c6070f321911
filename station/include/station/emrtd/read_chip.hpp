// Reading and verifying one ePassport chip, start to end: access control with the MRZ's keys,
// EF.COM, EF.SOD and the data groups, passive authentication against the trust store, and
// Active Authentication when DG15 offers it. Every step's time is kept (the benchmark reports
// them) and every failure is kept as an explained result rather than thrown: the inspector
// gets a report even from a chip that breaks off halfway.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mrz/document.hpp"
#include "station/emrtd/chip_session.hpp"
#include "station/emrtd/lds.hpp"
#include "station/emrtd/passive_auth.hpp"

namespace borderpost::station::emrtd {

class TrustStore;

struct ChipReadOptions {
  bool try_pace = true;
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
};

struct ChipReport {
  enum class Outcome {
    read,           // access granted and every listed file read
    access_denied,  // neither PACE nor BAC opened it with the MRZ's keys
    broken_off,     // the chip stopped answering (taken away) or answered garbage mid-read
  } outcome = Outcome::read;
  std::string error;  // access_denied / broken_off: why

  AccessResult access;
  std::optional<EfCom> com;
  std::map<int, Bytes> groups;  // data group number -> file as read
  Bytes sod;
  std::string dg1_mrz;          // lines
  std::vector<FaceImage> faces;
  DetailFields dg11, dg12;

  std::optional<SecurityObject> security_object;
  std::optional<PassiveAuthentication> passive;
  std::string passive_error;  // EF.SOD missing or malformed

  enum class ActiveAuth { not_offered, valid, invalid, failed } active_auth = ActiveAuth::not_offered;
  std::string active_auth_detail;

  struct Step {
    std::string name;  // "access", "EF.COM", "DG1", "DG2", "EF.SOD", "passive authentication", ...
    double milliseconds = 0;
  };
  std::vector<Step> steps;
  std::size_t commands = 0;
  bool extended_reads = false;
};

ChipReport read_chip(const RawTransmit& transmit, std::string_view mrz_information, const TrustStore& trust,
                     const ChipReadOptions& options = {});

// Active Authentication's check on its own: the chip's signature over the challenge, under the
// DG15 key (ECDSA with plain r||s signatures, or RSA with ISO/IEC 9796-2 scheme 1).
bool active_authentication_valid(ByteView dg15_key, ByteView challenge, ByteView signature, std::string& detail);

// DG1's MRZ against the optically read one, field by field: the names of the fields that differ.
std::vector<std::string> mrz_differences(const mrz::Document& chip, const mrz::Document& optical);

}  // namespace borderpost::station::emrtd
