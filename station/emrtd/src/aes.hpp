// AES for PACE secure messaging (ICAO Doc 9303 Part 11, 9.8.6.2): CBC encryption whose IV is the
// send sequence counter encrypted under the key, and CMAC truncated to 8 bytes.
#pragma once

#include "emrtd/bytes.hpp"

namespace borderpost::station::emrtd::aes {

Bytes encrypt_block(ByteView key, ByteView block16);              // AES-ECB of one block
Bytes cbc(ByteView key, ByteView iv, ByteView data, bool encrypting);  // whole 16-byte blocks
Bytes cmac(ByteView key, ByteView data);                          // full 16 bytes

}  // namespace borderpost::station::emrtd::aes
