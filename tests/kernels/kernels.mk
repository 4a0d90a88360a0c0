# Kernel matrix under qemu (issue 6).
check-kernels:
