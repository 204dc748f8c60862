/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vfio-abi.h - our own description of the VFIO and IOMMUFD user ABI.
 *
 * We never cast kernel buffers to structs: every field is read with an
 * explicit offset, size and byte order (bytes.h).  The offsets below are the
 * contract; the structs exist only so that _Static_assert can prove that the
 * offsets match a natural C layout of the documented ABI.
 */
#ifndef VFIO_INFO_UAPI_VFIO_ABI_H
#define VFIO_INFO_UAPI_VFIO_ABI_H

#include <stddef.h>
#include <stdint.h>

/* ioctl numbers: _IO(';', base + n).  The size bits are 0; the direction
 * bits hold _IOC_NONE, which is 0 on most architectures but 1 in a 3-bit
 * field at bit 29 on powerpc, mips, sparc and alpha (their asm/ioctl.h):
 * VFIO_GROUP_SET_CONTAINER is 0x3b68 on x86 and 0x20003b68 on ppc64, where
 * the x86 number answers ENOTTY (seen in the ppc64 pseries guest). */
#if defined(__powerpc__) || defined(__mips__) || defined(__sparc__) || defined(__alpha__)
#define VI_IOC_NONE_BITS	(1ul << 29)
#else
#define VI_IOC_NONE_BITS	0ul
#endif
#define VI_VFIO_TYPE		0x3b
#define VI_VFIO_BASE		100
#define VI_VFIO_IO(n)		((unsigned long)(VI_IOC_NONE_BITS | (VI_VFIO_TYPE << 8) | (VI_VFIO_BASE + (n))))
#define VI_IOMMUFD_IO(nr)	((unsigned long)(VI_IOC_NONE_BITS | (VI_VFIO_TYPE << 8) | (nr)))

#define VI_VFIO_API_VERSION	0

/* Capability header: id u16 @0, version u16 @2, next u32 @4. */
#define VI_CAP_HDR_SIZE		8

/* struct vfio_device_info */
struct vi_abi_device_info {
	uint32_t argsz, flags, num_regions, num_irqs, cap_offset, pad;
};
#define VI_DEVINFO_ARGSZ	0
#define VI_DEVINFO_FLAGS	4
#define VI_DEVINFO_NUM_REGIONS	8
#define VI_DEVINFO_NUM_IRQS	12
#define VI_DEVINFO_CAP_OFFSET	16
#define VI_DEVINFO_MINSZ	16
#define VI_DEVINFO_SIZE		24
_Static_assert(offsetof(struct vi_abi_device_info, cap_offset) == VI_DEVINFO_CAP_OFFSET, "devinfo");
_Static_assert(sizeof(struct vi_abi_device_info) == VI_DEVINFO_SIZE, "devinfo size");

#define VI_DEVICE_FLAGS_CAPS	(1u << 7)

/* struct vfio_region_info */
struct vi_abi_region_info {
	uint32_t argsz, flags, index, cap_offset;
	uint64_t size, offset;
};
#define VI_REGION_ARGSZ		0
#define VI_REGION_FLAGS		4
#define VI_REGION_INDEX		8
#define VI_REGION_CAP_OFFSET	12
#define VI_REGION_SIZE_OFF	16
#define VI_REGION_OFFSET_OFF	24
#define VI_REGION_MINSZ		32
#define VI_REGION_SIZE		32
_Static_assert(offsetof(struct vi_abi_region_info, size) == VI_REGION_SIZE_OFF, "region");
_Static_assert(offsetof(struct vi_abi_region_info, offset) == VI_REGION_OFFSET_OFF, "region");
_Static_assert(sizeof(struct vi_abi_region_info) == VI_REGION_SIZE, "region size");

#define VI_REGION_FLAG_CAPS	(1u << 3)

/* struct vfio_irq_info (mainline 16 bytes; irq-caps-2019 adds cap_offset @16) */
struct vi_abi_irq_info {
	uint32_t argsz, flags, index, count;
};
#define VI_IRQ_ARGSZ		0
#define VI_IRQ_FLAGS		4
#define VI_IRQ_INDEX		8
#define VI_IRQ_COUNT		12
#define VI_IRQ_MINSZ		16
#define VI_IRQ_SIZE		16
#define VI_IRQ_CAPS_CAP_OFFSET	16
#define VI_IRQ_CAPS_SIZE	20
_Static_assert(sizeof(struct vi_abi_irq_info) == VI_IRQ_SIZE, "irq size");

#define VI_IRQ_INFO_EVENTFD	(1u << 0)
#define VI_IRQ_INFO_MASKABLE	(1u << 1)
#define VI_IRQ_INFO_AUTOMASKED	(1u << 2)
#define VI_IRQ_INFO_NORESIZE	(1u << 3)

/* struct vfio_irq_set + u8 data[]: for DATA_EVENTFD one s32 per vector
 * (-1 unassigns it), for DATA_BOOL one u8 per vector, none for DATA_NONE */
struct vi_abi_irq_set {
	uint32_t argsz, flags, index, start, count;
};
#define VI_IRQSET_ARGSZ		0
#define VI_IRQSET_FLAGS		4
#define VI_IRQSET_INDEX		8
#define VI_IRQSET_START		12
#define VI_IRQSET_COUNT		16
#define VI_IRQSET_DATA		20
#define VI_IRQSET_MINSZ		20
#define VI_IRQSET_SIZE		20
#define VI_IRQSET_FD_SIZE	4	/* one s32 eventfd per vector */
_Static_assert(offsetof(struct vi_abi_irq_set, index) == VI_IRQSET_INDEX, "irq set");
_Static_assert(offsetof(struct vi_abi_irq_set, start) == VI_IRQSET_START, "irq set");
_Static_assert(offsetof(struct vi_abi_irq_set, count) == VI_IRQSET_COUNT, "irq set");
_Static_assert(sizeof(struct vi_abi_irq_set) == VI_IRQSET_SIZE, "irq set size");

#define VI_IRQ_SET_DATA_NONE		(1u << 0)
#define VI_IRQ_SET_DATA_BOOL		(1u << 1)
#define VI_IRQ_SET_DATA_EVENTFD		(1u << 2)
#define VI_IRQ_SET_ACTION_MASK		(1u << 3)
#define VI_IRQ_SET_ACTION_UNMASK	(1u << 4)
#define VI_IRQ_SET_ACTION_TRIGGER	(1u << 5)
#define VI_IRQ_SET_DATA_TYPE_MASK	0x07u
#define VI_IRQ_SET_ACTION_TYPE_MASK	0x38u

/* struct vfio_group_status */
#define VI_GROUP_STATUS_ARGSZ	0
#define VI_GROUP_STATUS_FLAGS	4
#define VI_GROUP_STATUS_SIZE	8

/* struct vfio_iommu_type1_info */
struct vi_abi_type1_info {
	uint32_t argsz, flags;
	uint64_t iova_pgsizes;
	uint32_t cap_offset, pad;
};
#define VI_T1INFO_ARGSZ		0
#define VI_T1INFO_FLAGS		4
#define VI_T1INFO_PGSIZES	8
#define VI_T1INFO_CAP_OFFSET	16
#define VI_T1INFO_MINSZ		16
#define VI_T1INFO_SIZE		24
#define VI_IOMMU_INFO_CAPS	(1u << 1)
_Static_assert(offsetof(struct vi_abi_type1_info, cap_offset) == VI_T1INFO_CAP_OFFSET, "t1");
_Static_assert(sizeof(struct vi_abi_type1_info) == VI_T1INFO_SIZE, "t1 size");

/* struct vfio_iommu_spapr_tce_info: VFIO_IOMMU_SPAPR_TCE_GET_INFO has the
 * number of VFIO_IOMMU_GET_INFO but this layout.  The kernel
 * (drivers/vfio/vfio_iommu_spapr_tce.c) needs argsz >= 16, copies the ddw
 * part only when argsz >= 32, and never writes argsz back: no growth. */
struct vi_abi_spapr_ddw {
	uint64_t pgsizes;
	uint32_t max_dynamic_windows_supported, levels;
};
struct vi_abi_spapr_tce_info {
	uint32_t argsz, flags, dma32_window_start, dma32_window_size;
	struct vi_abi_spapr_ddw ddw;
};
#define VI_SPAPR_INFO_ARGSZ		0
#define VI_SPAPR_INFO_FLAGS		4
#define VI_SPAPR_INFO_DMA32_START	8
#define VI_SPAPR_INFO_DMA32_SIZE	12
#define VI_SPAPR_INFO_PGSIZES		16
#define VI_SPAPR_INFO_MAX_WINDOWS	24
#define VI_SPAPR_INFO_LEVELS		28
#define VI_SPAPR_INFO_MINSZ		16
#define VI_SPAPR_INFO_SIZE		32
#define VI_SPAPR_INFO_DDW		(1u << 0)
_Static_assert(offsetof(struct vi_abi_spapr_tce_info, ddw) == VI_SPAPR_INFO_PGSIZES, "spapr");
_Static_assert(offsetof(struct vi_abi_spapr_tce_info, ddw.levels) == VI_SPAPR_INFO_LEVELS, "spapr");
_Static_assert(sizeof(struct vi_abi_spapr_tce_info) == VI_SPAPR_INFO_SIZE, "spapr size");

/* struct vfio_pci_hot_reset_info + struct vfio_pci_dependent_device[] */
#define VI_HRI_ARGSZ		0
#define VI_HRI_FLAGS		4
#define VI_HRI_COUNT		8
#define VI_HRI_DEVICES		12
#define VI_HRI_MINSZ		12
#define VI_HRI_DEV_SIZE		8
#define VI_HRI_FLAG_DEV_ID	(1u << 0)

/* struct vfio_device_feature */
#define VI_FEAT_ARGSZ		0
#define VI_FEAT_FLAGS		4
#define VI_FEAT_DATA		8
#define VI_FEAT_MINSZ		8
#define VI_FEAT_MASK		0xffffu
#define VI_FEAT_GET		(1u << 16)
#define VI_FEAT_SET		(1u << 17)
#define VI_FEAT_PROBE		(1u << 18)

/* Feature ids (VFIO_DEVICE_FEATURE_*), as of Linux 7.3 */
#define VI_FEATURE_PCI_VF_TOKEN			0
#define VI_FEATURE_MIGRATION			1
#define VI_FEATURE_MIG_DEVICE_STATE		2
#define VI_FEATURE_LOW_POWER_ENTRY		3
#define VI_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP	4
#define VI_FEATURE_LOW_POWER_EXIT		5
#define VI_FEATURE_DMA_LOGGING_START		6
#define VI_FEATURE_DMA_LOGGING_STOP		7
#define VI_FEATURE_DMA_LOGGING_REPORT		8
#define VI_FEATURE_MIG_DATA_SIZE		9
#define VI_FEATURE_BUS_MASTER			10
#define VI_FEATURE_DMA_BUF			11	/* 7.0 */
#define VI_FEATURE_MIG_PRECOPY_INFOv2		12	/* 7.2 */
#define VI_FEATURE_ZPCI_ERROR			13	/* 7.3 */
/* PROBE (no side effect) covers ids 0..VI_FEATURE_PROBE_MAX: the id field
 * is 16 bits, and the kernel hands ids out one after the other (0 in 5.7,
 * 13 in 7.3), so 256 is twenty times the space used so far at a cost of a
 * few hundred cheap ioctls per device. */
#define VI_FEATURE_PROBE_MAX			255

/* struct vfio_device_feature_zpci_err (ZPCI_ERROR, GET): a user pointer to
 * a buffer of ZPCI_BASE's ccdf_err_length bytes.  Never called here. */
struct vi_abi_feature_zpci_err {
	uint64_t data;
};
#define VI_FEAT_ZPCI_ERR_DATA	0
#define VI_FEAT_ZPCI_ERR_SIZE	8
_Static_assert(offsetof(struct vi_abi_feature_zpci_err, data) == VI_FEAT_ZPCI_ERR_DATA, "zpci err");
_Static_assert(sizeof(struct vi_abi_feature_zpci_err) == VI_FEAT_ZPCI_ERR_SIZE, "zpci err size");

/* struct vfio_region_dma_range + struct vfio_device_feature_dma_buf
 * (DMA_BUF, GET: creates a dma-buf fd).  Never called here. */
struct vi_abi_feature_dma_buf {
	uint32_t region_index, open_flags, flags, nr_ranges;
	/* struct { uint64_t offset, length; } dma_ranges[nr_ranges]; */
};
#define VI_FEAT_DMABUF_REGION_INDEX	0
#define VI_FEAT_DMABUF_OPEN_FLAGS	4
#define VI_FEAT_DMABUF_FLAGS		8
#define VI_FEAT_DMABUF_NR_RANGES	12
#define VI_FEAT_DMABUF_RANGES		16
#define VI_FEAT_DMABUF_RANGE_SIZE	16
_Static_assert(offsetof(struct vi_abi_feature_dma_buf, nr_ranges) == VI_FEAT_DMABUF_NR_RANGES, "dmabuf");
_Static_assert(sizeof(struct vi_abi_feature_dma_buf) == VI_FEAT_DMABUF_RANGES, "dmabuf size");

/* struct vfio_precopy_info (VFIO_MIG_GET_PRECOPY_INFO on a migration data
 * fd, which an inspector never holds): flags is an output once
 * MIG_PRECOPY_INFOv2 was SET. */
struct vi_abi_precopy_info {
	uint32_t argsz, flags;
	uint64_t initial_bytes, dirty_bytes;
};
#define VI_PRECOPY_ARGSZ		0
#define VI_PRECOPY_FLAGS		4
#define VI_PRECOPY_INITIAL_BYTES	8
#define VI_PRECOPY_DIRTY_BYTES		16
#define VI_PRECOPY_SIZE			24
#define VI_PRECOPY_INFO_REINIT		(1u << 0)
_Static_assert(offsetof(struct vi_abi_precopy_info, initial_bytes) == VI_PRECOPY_INITIAL_BYTES, "precopy");
_Static_assert(offsetof(struct vi_abi_precopy_info, dirty_bytes) == VI_PRECOPY_DIRTY_BYTES, "precopy");
_Static_assert(sizeof(struct vi_abi_precopy_info) == VI_PRECOPY_SIZE, "precopy size");

/* The data after the feature header (offsets from VI_FEAT_DATA). */
/* struct vfio_device_feature_migration: __aligned_u64 flags */
struct vi_abi_feat_migration {
	uint64_t flags;
};
#define VI_FMIG_FLAGS		0
#define VI_FMIG_SIZE		8
#define VI_MIGRATION_STOP_COPY	(1u << 0)
_Static_assert(sizeof(struct vi_abi_feat_migration) == VI_FMIG_SIZE, "feature migration");
/* struct vfio_device_feature_mig_state: a GET answers data_fd -1 */
struct vi_abi_feat_mig_state {
	uint32_t device_state;
	int32_t data_fd;
};
#define VI_FMIGST_STATE		0
#define VI_FMIGST_DATA_FD	4
#define VI_FMIGST_SIZE		8
_Static_assert(offsetof(struct vi_abi_feat_mig_state, data_fd) == VI_FMIGST_DATA_FD, "mig state");
_Static_assert(sizeof(struct vi_abi_feat_mig_state) == VI_FMIGST_SIZE, "mig state size");

/* struct vfio_device_gfx_plane_info (VFIO_DEVICE_QUERY_GFX_PLANE).  The
 * kernel's minimum is offsetofend(region_index); QEMU sends all 64 bytes.
 * Only PROBE|REGION and PROBE|DMABUF are ever sent: a plain DMABUF query
 * makes the driver create a dma-buf id. */
struct vi_abi_gfx_plane_info {
	uint32_t argsz, flags, drm_plane_type, drm_format;
	uint64_t drm_format_mod;
	uint32_t width, height, stride, size, x_pos, y_pos, x_hot, y_hot;
	uint32_t region_index;		/* union with dmabuf_id */
	uint32_t reserved;
};
#define VI_GFXP_ARGSZ		0
#define VI_GFXP_FLAGS		4
#define VI_GFXP_DRM_PLANE_TYPE	8
#define VI_GFXP_DRM_FORMAT	12
#define VI_GFXP_DRM_FORMAT_MOD	16
#define VI_GFXP_WIDTH		24
#define VI_GFXP_HEIGHT		28
#define VI_GFXP_STRIDE		32
#define VI_GFXP_SIZE_F		36
#define VI_GFXP_X_POS		40
#define VI_GFXP_Y_POS		44
#define VI_GFXP_X_HOT		48
#define VI_GFXP_Y_HOT		52
#define VI_GFXP_REGION_INDEX	56	/* or dmabuf_id */
#define VI_GFXP_RESERVED	60
#define VI_GFXP_MINSZ		60
#define VI_GFXP_SIZE		64
#define VI_GFX_PLANE_TYPE_PROBE		(1u << 0)
#define VI_GFX_PLANE_TYPE_DMABUF	(1u << 1)
#define VI_GFX_PLANE_TYPE_REGION	(1u << 2)
_Static_assert(offsetof(struct vi_abi_gfx_plane_info, drm_format_mod) == VI_GFXP_DRM_FORMAT_MOD, "gfx plane");
_Static_assert(offsetof(struct vi_abi_gfx_plane_info, width) == VI_GFXP_WIDTH, "gfx plane");
_Static_assert(offsetof(struct vi_abi_gfx_plane_info, y_hot) == VI_GFXP_Y_HOT, "gfx plane");
_Static_assert(offsetof(struct vi_abi_gfx_plane_info, region_index) == VI_GFXP_REGION_INDEX, "gfx plane");
_Static_assert(offsetof(struct vi_abi_gfx_plane_info, reserved) == VI_GFXP_RESERVED, "gfx plane");
_Static_assert(sizeof(struct vi_abi_gfx_plane_info) == VI_GFXP_SIZE, "gfx plane size");

/* struct vfio_region_gfx_edid: the first bytes of a region whose TYPE cap
 * is GFX (1) / GFX_EDID (1); read from the region, not asked by ioctl. */
struct vi_abi_gfx_edid {
	uint32_t edid_offset, edid_max_size, edid_size, max_xres, max_yres, link_state;
};
#define VI_REGION_TYPE_GFX		1
#define VI_REGION_SUBTYPE_GFX_EDID	1
#define VI_EDID_OFFSET		0
#define VI_EDID_MAX_SIZE	4
#define VI_EDID_SIZE_F		8
#define VI_EDID_MAX_XRES	12
#define VI_EDID_MAX_YRES	16
#define VI_EDID_LINK_STATE	20
#define VI_EDID_HDR_SIZE	24
#define VI_GFX_LINK_STATE_UP	1
#define VI_GFX_LINK_STATE_DOWN	2
_Static_assert(offsetof(struct vi_abi_gfx_edid, max_xres) == VI_EDID_MAX_XRES, "gfx edid");
_Static_assert(offsetof(struct vi_abi_gfx_edid, link_state) == VI_EDID_LINK_STATE, "gfx edid");
_Static_assert(sizeof(struct vi_abi_gfx_edid) == VI_EDID_HDR_SIZE, "gfx edid size");

/* struct vfio_device_bind_iommufd */
#define VI_BIND_ARGSZ		0
#define VI_BIND_FLAGS		4
#define VI_BIND_IOMMUFD		8
#define VI_BIND_OUT_DEVID	12
#define VI_BIND_TOKEN_PTR	16
#define VI_BIND_MINSZ		16
#define VI_BIND_SIZE		24
#define VI_BIND_FLAG_TOKEN	(1u << 0)

/* struct vfio_device_attach_iommufd_pt (pasid @12 with
 * VFIO_DEVICE_ATTACH_PASID, 6.12+: 16 bytes; 12 remains the minimum) */
#define VI_ATTACH_ARGSZ		0
#define VI_ATTACH_FLAGS		4
#define VI_ATTACH_PT_ID		8
#define VI_ATTACH_PASID		12
#define VI_ATTACH_SIZE		12
#define VI_ATTACH_PASID_SIZE	16
#define VI_ATTACH_FLAG_PASID	(1u << 0)

/* struct vfio_device_detach_iommufd_pt (pasid @8 with
 * VFIO_DEVICE_DETACH_PASID) */
#define VI_DETACH_ARGSZ		0
#define VI_DETACH_FLAGS		4
#define VI_DETACH_PASID		8
#define VI_DETACH_SIZE		12
#define VI_DETACH_FLAG_PASID	(1u << 0)

/* struct iommu_ioas_alloc */
#define VI_IOAS_ALLOC_SIZE_F	0
#define VI_IOAS_ALLOC_FLAGS	4
#define VI_IOAS_ALLOC_OUT_ID	8
#define VI_IOAS_ALLOC_SIZE	12

/* struct iommu_ioas_iova_ranges + struct iommu_iova_range[] (start, last) */
struct vi_abi_iova_ranges {
	uint32_t size, ioas_id, num_iovas, reserved;
	uint64_t allowed_iovas, out_iova_alignment;
};
#define VI_IOVR_SIZE_F		0
#define VI_IOVR_IOAS_ID		4
#define VI_IOVR_NUM_IOVAS	8
#define VI_IOVR_RESERVED	12
#define VI_IOVR_PTR		16	/* __aligned_u64 allowed_iovas */
#define VI_IOVR_ALIGNMENT	24	/* __aligned_u64 out_iova_alignment */
#define VI_IOVR_SIZE		32
#define VI_IOVR_RANGE_SIZE	16
_Static_assert(offsetof(struct vi_abi_iova_ranges, allowed_iovas) == VI_IOVR_PTR, "iovr");
_Static_assert(offsetof(struct vi_abi_iova_ranges, out_iova_alignment) == VI_IOVR_ALIGNMENT, "iovr");
_Static_assert(sizeof(struct vi_abi_iova_ranges) == VI_IOVR_SIZE, "iovr size");

/* struct iommu_hw_info.  The type field is in_data_type on input when
 * flags has IOMMU_HW_INFO_FLAG_INPUT_TYPE (6.17), out_data_type on output
 * (one union member). */
struct vi_abi_hw_info {
	uint32_t size, flags, dev_id, data_len;
	uint64_t data_uptr;
	uint32_t out_data_type;
	uint8_t out_max_pasid_log2, reserved[3];
	uint64_t out_capabilities;
};
#define VI_HWI_SIZE_F		0
#define VI_HWI_FLAGS		4
#define VI_HWI_DEV_ID		8
#define VI_HWI_DATA_LEN		12
#define VI_HWI_DATA_PTR		16
#define VI_HWI_DATA_TYPE	24
#define VI_HWI_IN_DATA_TYPE	24	/* same field, input */
#define VI_HWI_FLAG_INPUT_TYPE	(1u << 0)
#define VI_HWI_MAX_PASID_LOG2	28
#define VI_HWI_CAPABILITIES	32
#define VI_HWI_MINSZ		32
#define VI_HWI_SIZE		40
_Static_assert(offsetof(struct vi_abi_hw_info, data_uptr) == VI_HWI_DATA_PTR, "hwi");
_Static_assert(offsetof(struct vi_abi_hw_info, out_data_type) == VI_HWI_DATA_TYPE, "hwi");
_Static_assert(offsetof(struct vi_abi_hw_info, out_max_pasid_log2) == VI_HWI_MAX_PASID_LOG2, "hwi");
_Static_assert(offsetof(struct vi_abi_hw_info, out_capabilities) == VI_HWI_CAPABILITIES, "hwi");
_Static_assert(sizeof(struct vi_abi_hw_info) == VI_HWI_SIZE, "hwi size");

/* enum iommu_hw_info_type: 0 is NONE on output and DEFAULT on input */
#define VI_HW_INFO_TYPE_NONE		0
#define VI_HW_INFO_TYPE_INTEL_VTD	1
#define VI_HW_INFO_TYPE_ARM_SMMUV3	2
#define VI_HW_INFO_TYPE_TEGRA241_CMDQV	3
#define VI_HW_INFO_TYPE_AMD		4
#define VI_HW_INFO_TYPE_MAX		4

/* The type-specific blobs (data_uptr) */
struct vi_abi_hw_info_vtd {
	uint32_t flags, reserved;
	uint64_t cap_reg, ecap_reg;
};
#define VI_HWVTD_FLAGS		0
#define VI_HWVTD_CAP_REG	8
#define VI_HWVTD_ECAP_REG	16
#define VI_HWVTD_SIZE		24
_Static_assert(offsetof(struct vi_abi_hw_info_vtd, ecap_reg) == VI_HWVTD_ECAP_REG, "vtd");
_Static_assert(sizeof(struct vi_abi_hw_info_vtd) == VI_HWVTD_SIZE, "vtd size");

struct vi_abi_hw_info_smmuv3 {
	uint32_t flags, reserved, idr[6], iidr, aidr;
};
#define VI_HWSMMU_FLAGS		0
#define VI_HWSMMU_IDR		8
#define VI_HWSMMU_IIDR		32
#define VI_HWSMMU_AIDR		36
#define VI_HWSMMU_SIZE		40
_Static_assert(offsetof(struct vi_abi_hw_info_smmuv3, idr) == VI_HWSMMU_IDR, "smmuv3");
_Static_assert(offsetof(struct vi_abi_hw_info_smmuv3, iidr) == VI_HWSMMU_IIDR, "smmuv3");
_Static_assert(offsetof(struct vi_abi_hw_info_smmuv3, aidr) == VI_HWSMMU_AIDR, "smmuv3");
_Static_assert(sizeof(struct vi_abi_hw_info_smmuv3) == VI_HWSMMU_SIZE, "smmuv3 size");

struct vi_abi_hw_info_tegra241_cmdqv {
	uint32_t flags;
	uint8_t version, log2vcmdqs, log2vsids, reserved;
};
#define VI_HWTEGRA_FLAGS	0
#define VI_HWTEGRA_VERSION	4
#define VI_HWTEGRA_LOG2VCMDQS	5
#define VI_HWTEGRA_LOG2VSIDS	6
#define VI_HWTEGRA_SIZE		8
_Static_assert(offsetof(struct vi_abi_hw_info_tegra241_cmdqv, log2vsids) == VI_HWTEGRA_LOG2VSIDS, "tegra");
_Static_assert(sizeof(struct vi_abi_hw_info_tegra241_cmdqv) == VI_HWTEGRA_SIZE, "tegra size");

/* struct iommu_hw_info_amd (6.18): EFR and EFR2, nothing more */
struct vi_abi_hw_info_amd {
	uint64_t efr, efr2;
};
#define VI_HWAMD_EFR		0
#define VI_HWAMD_EFR2		8
#define VI_HWAMD_SIZE		16
_Static_assert(offsetof(struct vi_abi_hw_info_amd, efr2) == VI_HWAMD_EFR2, "amd");
_Static_assert(sizeof(struct vi_abi_hw_info_amd) == VI_HWAMD_SIZE, "amd size");

/* IOMMUFD command numbers (IOMMUFD_CMD_*, _IO(';', nr)), as of Linux 7.3.
 * The ioctl table (ioc.c) holds the ones vfio-info issues; the others
 * change state and are listed so that the ABI is described whole. */
#define VI_IOMMUFD_CMD_DESTROY			0x80
#define VI_IOMMUFD_CMD_IOAS_ALLOC		0x81
#define VI_IOMMUFD_CMD_IOAS_ALLOW_IOVAS		0x82
#define VI_IOMMUFD_CMD_IOAS_COPY		0x83
#define VI_IOMMUFD_CMD_IOAS_IOVA_RANGES		0x84
#define VI_IOMMUFD_CMD_IOAS_MAP			0x85
#define VI_IOMMUFD_CMD_IOAS_UNMAP		0x86
#define VI_IOMMUFD_CMD_OPTION			0x87
#define VI_IOMMUFD_CMD_VFIO_IOAS		0x88
#define VI_IOMMUFD_CMD_HWPT_ALLOC		0x89
#define VI_IOMMUFD_CMD_GET_HW_INFO		0x8a
#define VI_IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING	0x8b
#define VI_IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP	0x8c
#define VI_IOMMUFD_CMD_HWPT_INVALIDATE		0x8d
#define VI_IOMMUFD_CMD_FAULT_QUEUE_ALLOC	0x8e
#define VI_IOMMUFD_CMD_IOAS_MAP_FILE		0x8f
#define VI_IOMMUFD_CMD_VIOMMU_ALLOC		0x90
#define VI_IOMMUFD_CMD_VDEVICE_ALLOC		0x91
#define VI_IOMMUFD_CMD_IOAS_CHANGE_PROCESS	0x92
#define VI_IOMMUFD_CMD_VEVENTQ_ALLOC		0x93
#define VI_IOMMUFD_CMD_HW_QUEUE_ALLOC		0x94
#define VI_IOMMUFD_CMD_IOAS_NOIOMMU_GET_PA	0x95	/* 7.3 */

/* struct vfio_device_info_cap_zpci_base (vfio_zdev.h), offsets within the
 * capability (header included): v1 ends at 32, v2 adds fh, v3 (7.3) the
 * length of the CCDF error record that FEATURE ZPCI_ERROR returns. */
#define VI_ZPCI_BASE_START_DMA		8
#define VI_ZPCI_BASE_END_DMA		16
#define VI_ZPCI_BASE_PCHID		24
#define VI_ZPCI_BASE_VFN		26
#define VI_ZPCI_BASE_FMB_LENGTH		28
#define VI_ZPCI_BASE_PFT		30
#define VI_ZPCI_BASE_GID		31
#define VI_ZPCI_BASE_FH			32	/* v2 */
#define VI_ZPCI_BASE_CCDF_ERR_LENGTH	36	/* v3 */
#define VI_ZPCI_BASE_V3_SIZE		40
struct vi_abi_zpci_base {
	uint16_t id, version;
	uint32_t next;
	uint64_t start_dma, end_dma;
	uint16_t pchid, vfn, fmb_length;
	uint8_t pft, gid;
	uint32_t fh, ccdf_err_length;
};
_Static_assert(offsetof(struct vi_abi_zpci_base, pchid) == VI_ZPCI_BASE_PCHID, "zpci base");
_Static_assert(offsetof(struct vi_abi_zpci_base, gid) == VI_ZPCI_BASE_GID, "zpci base");
_Static_assert(offsetof(struct vi_abi_zpci_base, fh) == VI_ZPCI_BASE_FH, "zpci base");
_Static_assert(offsetof(struct vi_abi_zpci_base, ccdf_err_length) == VI_ZPCI_BASE_CCDF_ERR_LENGTH, "zpci base");
_Static_assert(sizeof(struct vi_abi_zpci_base) == VI_ZPCI_BASE_V3_SIZE, "zpci base size");

/* Fixed indexes and numbers */
#define VI_PCI_NUM_REGIONS	9
#define VI_PCI_CONFIG_INDEX	7
#define VI_PCI_ROM_INDEX	6
#define VI_PCI_VGA_INDEX	8
#define VI_PCI_NUM_IRQS		5

/* IOMMU types for VFIO_CHECK_EXTENSION / VFIO_SET_IOMMU */
#define VI_TYPE1_IOMMU		1
#define VI_SPAPR_TCE_IOMMU	2
#define VI_TYPE1v2_IOMMU	3
#define VI_DMA_CC_IOMMU		4
#define VI_EEH			5
/* 6: VFIO_TYPE1_NESTING_IOMMU until 6.12; since 6.13 the header calls it
 * __VFIO_RESERVED_TYPE1_NESTING_IOMMU and no kernel answers it (an older
 * kernel that answers 1 only means type1 would accept the type). */
#define VI_TYPE1_NESTING_IOMMU	6
#define VI_SPAPR_TCE_v2_IOMMU	7
#define VI_NOIOMMU_IOMMU	8
#define VI_UNMAP_ALL		9
#define VI_UPDATE_VADDR		10
#define VI_EXTENSION_MAX	10

#define VI_GROUP_FLAGS_VIABLE		(1u << 0)
#define VI_GROUP_FLAGS_CONTAINER_SET	(1u << 1)

#endif
