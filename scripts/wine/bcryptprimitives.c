/*
 * bcryptprimitives.dll for Wine 8, which lacks it. Since Go 1.24 the
 * Go runtime of a windows binary takes its random numbers from
 * ProcessPrng and refuses to start without it; Windows 10 and later ship
 * the DLL, Wine gained it only in 9.x. This one answers with
 * RtlGenRandom (SystemFunction036, in advapi32), which Wine has.
 * scripts/wine-shim builds it and puts it into the Wine prefix.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    /* RtlGenRandom takes a ULONG; ask in chunks that fit. */
    while (length > 0) {
        ULONG n = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        length -= n;
    }
    return TRUE;
}
