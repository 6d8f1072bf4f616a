import { GenericContainer } from 'testcontainers';

/**
 * A container that can mount FUSE file systems without `--privileged`: it gets the host's
 * /dev/fuse and CAP_SYS_ADMIN, and runs AppArmor unconfined because Docker's default
 * profile denies mount(2). testcontainers 11 has no option for devices, so this subclass
 * sets them on the host config it keeps. A /dev/fuse made with mknod inside the container
 * would be rejected by the device cgroup.
 */
export class FuseCapableContainer extends GenericContainer {
  constructor(image: string) {
    super(image);
    this.hostConfig.Devices = [{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' }];
    this.hostConfig.SecurityOpt = ['apparmor=unconfined'];
    this.hostConfig.Init = true;
    this.withAddedCapabilities('SYS_ADMIN');
  }
}

/** A plain container whose PID 1 is Docker's init, so orphaned processes are reaped. */
export class InitContainer extends GenericContainer {
  constructor(image: string) {
    super(image);
    this.hostConfig.Init = true;
  }
}
