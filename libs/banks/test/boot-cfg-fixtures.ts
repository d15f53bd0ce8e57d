/** boot.cfg texts shared by the unit tests. */

const MODULES = [
  'jumpstrt.gz', 'useropts.gz', 'features.gz', 'k.b00', 'uc_intel.b00', 'uc_amd.b00', 'uc_hygon.b00', 'procfs.b00',
  'vmx.v00', 'vim.v00', 'tpm.v00', 'sb.v00', 's.v00', 'atlantic.v00', 'bcm_mpi3.v00', 'bnxtnet.v00', 'bnxtroce.v00',
  'brcmfcoe.v00', 'cndi_igc.v00', 'dwi2c.v00', 'elxiscsi.v00', 'elxnet.v00', 'i40en.v00', 'iavmd.v00', 'icen.v00',
  'igbn.v00', 'ionic_cl.v00', 'ionic_en.v00', 'irdman.v00', 'iser.v00', 'ixgben.v00', 'lpfc.v00', 'lpnic.v00',
  'lsi_mr3.v00', 'lsi_msgp.v00', 'lsi_msgp.v01', 'lsi_msgp.v02', 'mtip32xx.v00', 'ne1000.v00', 'nenic.v00',
  'nfnic.v00', 'nhpsa.v00', 'nipmi.v00', 'nmlx5_cc.v00', 'nmlx5_co.v00', 'nmlx5_rd.v00', 'ntg3.v00', 'nvme_pci.v00',
  'nvmerdma.v00', 'nvmetcp.v00', 'nvmxnet3.v00', 'pvscsi.v00', 'qcnic.v00', 'qedentv.v00', 'qedrntv.v00', 'qfle3.v00',
  'qfle3f.v00', 'qfle3i.v00', 'qflge.v00', 'rdmahl.v00', 'rste.v00', 'sfvmk.v00', 'smartpqi.v00', 'vmkata.v00',
  'vmksdhci.v00', 'vmkusb.v00', 'vmw_ahci.v00', 'bmcal.v00', 'clusters.v00', 'crx.v00', 'drivervm.v00',
  'elx_esx_.v00', 'btldr.v00', 'esx_dvfi.v00', 'esx_ui.v00', 'esxupdt.v00', 'tpmesxup.v00', 'weaselin.v00',
  'esxio_co.v00', 'infravis.v00', 'loadesx.v00', 'lsuv2_hp.v00', 'lsuv2_in.v00', 'lsuv2_ls.v00', 'lsuv2_nv.v00',
  'lsuv2_oe.v00', 'lsuv2_sm.v00', 'native_m.v00', 'qlnative.v00', 'trx.v00', 'vdfs.v00', 'vds_vsip.v00',
  'vmware_e.v00', 'hbrsrv.v00', 'vsan.v00', 'vsanheal.v00', 'vsanmgmt.v00', 'xorg.v00', 'gc.v00', 'imgdb.tgz',
  'basemisc.tgz', 'resvibs.tgz', 'esxiodpt.tgz', 'imgpayld.tgz', 'state.tgz',
].join(' --- ');

/** A full ESXi 8.0 U3 boot.cfg as the installer writes it, plus an operator's comment. */
export const ESXI8_BOOT_CFG = [
  'bootstate=0',
  'title=Loading VMware ESXi',
  'timeout=5',
  'prefix=',
  'kernel=b.b00',
  'kernelopt=autoPartition=FALSE',
  `modules=b.b00 --- ${MODULES}`,
  'build=8.0.3-0.0.24022510',
  'updated=3',
  '',
  '# added by ops: keep the serial console quiet',
  'noquirks=TRUE',
  '',
].join('\n');

export interface CfgFields {
  readonly bootstate?: number | string;
  readonly updated?: number | string;
  readonly build?: string;
  readonly quickboot?: number;
}

/** A short but realistic boot.cfg; a field set to undefined explicitly is left out. */
export function cfg(fields: CfgFields = {}): string {
  const merged = { bootstate: 0, updated: 1, build: '8.0.2-0.0.22380479', ...fields };
  const lines = [
    ...('bootstate' in fields && fields.bootstate === undefined ? [] : [`bootstate=${merged.bootstate}`]),
    'title=Loading VMware ESXi',
    'timeout=5',
    'kernel=b.b00',
    'kernelopt=autoPartition=FALSE',
    'modules=b.b00 --- jumpstrt.gz --- useropts.gz --- k.b00 --- s.v00 --- state.tgz',
    ...('build' in fields && fields.build === undefined ? [] : [`build=${merged.build}`]),
    ...('updated' in fields && fields.updated === undefined ? [] : [`updated=${merged.updated}`]),
    ...(fields.quickboot === undefined ? [] : [`quickboot=${fields.quickboot}`]),
  ];
  return `${lines.join('\n')}\n`;
}

export const BUILD_802 = '8.0.2-0.0.22380479';
export const BUILD_803 = '8.0.3-0.0.24022510';
export const BUILD_803B = '8.0.3-0.35.24280767';
export const BUILD_803C = '8.0.3-0.50.24585383';

export const sha = (seed: string): string => seed.repeat(64).slice(0, 64);
