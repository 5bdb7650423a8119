# top of the miniature tree
obj-y += drivers/ arch/x86/
