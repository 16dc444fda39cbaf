/*
 * bcryptprimitives.dll for Wine 8, which lacks it, so that Go programs
 * for windows/amd64 run under Debian's Wine as they do on Windows 10 and
 * later. scripts/wine-shim builds it and puts it into the Wine prefix.
 * Wine 9 and later have their own, and load theirs rather than this one.
 *
 * 1. ProcessPrng. Since Go 1.24 the runtime takes its random numbers from
 *    ProcessPrng and refuses to start without it. This one answers with
 *    RtlGenRandom (SystemFunction036, in advapi32), which Wine has.
 *
 * 2. Deleting files the way Go does. os.Remove, os.RemoveAll (and so
 *    every t.TempDir's cleanup) delete with NtSetInformationFile and
 *    FileDispositionInformationEx (class 64), and fall back to the older
 *    FileDispositionInformation when Windows says it does not know the
 *    class (STATUS_INVALID_INFO_CLASS, as Windows before 10 does). Wine 8
 *    does not know the class either but answers STATUS_NOT_IMPLEMENTED,
 *    which Go takes as a failure ("unlinkat ...: Invalid function").
 *    Every Go program loads this DLL first thing, so as it loads it points
 *    ntdll's export of NtSetInformationFile at a wrapper that gives
 *    Windows' answer instead; Go looks the function up later, by name.
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

#define STATUS_NOT_IMPLEMENTED ((LONG)0xC0000002)
#define STATUS_INVALID_INFO_CLASS ((LONG)0xC0000003)

typedef LONG(NTAPI *set_information_file)(HANDLE, PVOID, PVOID, ULONG, ULONG);
static set_information_file wine_set_information_file;

static LONG NTAPI set_information_file_as_windows(HANDLE file, PVOID iosb, PVOID info, ULONG length, ULONG class)
{
    LONG status = wine_set_information_file(file, iosb, info, length, class);
    return status == STATUS_NOT_IMPLEMENTED ? STATUS_INVALID_INFO_CLASS : status;
}

static BOOL same(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/*
 * redirect_export makes GetProcAddress(module, name) return target. An
 * export is a 32-bit offset from the module's base, so it points at a jump
 * to target placed within reach above the module.
 */
static BOOL redirect_export(HMODULE module, const char *name, void *target)
{
    BYTE *base = (BYTE *)module;
    IMAGE_NT_HEADERS *nt = (IMAGE_NT_HEADERS *)(base + ((IMAGE_DOS_HEADER *)base)->e_lfanew);
    IMAGE_EXPORT_DIRECTORY *exports = (IMAGE_EXPORT_DIRECTORY *)(base + nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT].VirtualAddress);
    DWORD *names = (DWORD *)(base + exports->AddressOfNames);
    WORD *ordinals = (WORD *)(base + exports->AddressOfNameOrdinals);
    DWORD *functions = (DWORD *)(base + exports->AddressOfFunctions);

    for (DWORD i = 0; i < exports->NumberOfNames; i++) {
        if (!same((const char *)(base + names[i]), name))
            continue;
        BYTE *jump = NULL;
        ULONG_PTR at = ((ULONG_PTR)base + nt->OptionalHeader.SizeOfImage + 0xFFFF) & ~(ULONG_PTR)0xFFFF;
        for (; !jump && at < (ULONG_PTR)base + 0x80000000; at += 0x10000)
            jump = VirtualAlloc((void *)at, 4096, MEM_RESERVE | MEM_COMMIT, PAGE_EXECUTE_READWRITE);
        if (!jump)
            return FALSE;
        jump[0] = 0x48, jump[1] = 0xB8; /* mov rax, target */
        *(void **)(jump + 2) = target;
        jump[10] = 0xFF, jump[11] = 0xE0; /* jmp rax */
        DWORD old;
        DWORD *slot = &functions[ordinals[i]];
        if (!VirtualProtect(slot, sizeof *slot, PAGE_READWRITE, &old))
            return FALSE;
        *slot = (DWORD)(jump - base);
        VirtualProtect(slot, sizeof *slot, old, &old);
        return TRUE;
    }
    return FALSE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance, (void)reserved;
    if (reason == DLL_PROCESS_ATTACH) {
        HMODULE ntdll = GetModuleHandleA("ntdll.dll");
        wine_set_information_file = (set_information_file)(void (*)(void))GetProcAddress(ntdll, "NtSetInformationFile");
        if (wine_set_information_file)
            redirect_export(ntdll, "NtSetInformationFile", set_information_file_as_windows);
    }
    return TRUE;
}
