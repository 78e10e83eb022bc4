{
  "targets": [
    {
      "target_name": "ward_screen",
      "sources": [
        "src/detect/sigma/prefilter/native/addon.c",
        "src/detect/sigma/prefilter/native/build.c",
        "src/detect/sigma/prefilter/native/pair.c",
        "src/detect/sigma/prefilter/native/scan.c",
        "src/detect/sigma/prefilter/native/walk.c"
      ],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O3", "-std=c11", "-Wall", "-Wextra", "-Wno-unused-parameter"]
    }
  ]
}
