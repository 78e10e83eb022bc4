/** BinXml token bytes (MS-EVEN6 §3.1.4.7.1). Bit 0x40 marks "has more" (attributes follow, etc.). */
export const TOKEN_EOF = 0x00;
export const TOKEN_OPEN_START = 0x01;
export const TOKEN_CLOSE_START = 0x02;
export const TOKEN_CLOSE_EMPTY = 0x03;
export const TOKEN_END_ELEMENT = 0x04;
export const TOKEN_VALUE = 0x05;
export const TOKEN_ATTRIBUTE = 0x06;
export const TOKEN_CDATA = 0x07;
export const TOKEN_CHAR_REF = 0x08;
export const TOKEN_ENTITY_REF = 0x09;
export const TOKEN_PI_TARGET = 0x0a;
export const TOKEN_PI_DATA = 0x0b;
export const TOKEN_TEMPLATE_INSTANCE = 0x0c;
export const TOKEN_NORMAL_SUB = 0x0d;
export const TOKEN_OPTIONAL_SUB = 0x0e;
export const TOKEN_FRAGMENT_HEADER = 0x0f;
export const TOKEN_MORE_FLAG = 0x40;

/** Substitution value types (MS-EVEN6 §2.2.18 / libyal "Value types"); arrays are type | 0x80. */
export const VT_NULL = 0x00;
export const VT_STRING = 0x01;
export const VT_ANSI_STRING = 0x02;
export const VT_INT8 = 0x03;
export const VT_UINT8 = 0x04;
export const VT_INT16 = 0x05;
export const VT_UINT16 = 0x06;
export const VT_INT32 = 0x07;
export const VT_UINT32 = 0x08;
export const VT_INT64 = 0x09;
export const VT_UINT64 = 0x0a;
export const VT_REAL32 = 0x0b;
export const VT_REAL64 = 0x0c;
export const VT_BOOL = 0x0d;
export const VT_BINARY = 0x0e;
export const VT_GUID = 0x0f;
export const VT_SIZE_T = 0x10;
export const VT_FILETIME = 0x11;
export const VT_SYSTEMTIME = 0x12;
export const VT_SID = 0x13;
export const VT_HEX_INT32 = 0x14;
export const VT_HEX_INT64 = 0x15;
export const VT_EVT_HANDLE = 0x20;
export const VT_BINXML = 0x21;
export const VT_EVT_XML = 0x23;
export const VT_ARRAY_FLAG = 0x80;

/** Maximum nesting of BinXml fragments inside substitution values (guards hostile input). */
export const MAX_NESTING = 16;
/** Maximum element depth within one fragment. */
export const MAX_ELEMENT_DEPTH = 256;
