import { useState } from 'react';
import { Link } from 'react-router';
import { ChevronLeftIcon } from '../../components/icons.tsx';
import { Alert, PageHeader } from '../../components/index.ts';
import { useSession } from '../auth/session.tsx';
import { CreateKeyPairDialog } from '../key-pairs/KeyPairDialogs.tsx';
import { ReviewPanel } from './ReviewPanel.tsx';
import { AdvancedStep } from './steps/AdvancedStep.tsx';
import { ImageStep } from './steps/ImageStep.tsx';
import { KeysStep } from './steps/KeysStep.tsx';
import { NameStep } from './steps/NameStep.tsx';
import { NetworksStep } from './steps/NetworksStep.tsx';
import { PlacementStep } from './steps/PlacementStep.tsx';
import { SizeStep } from './steps/SizeStep.tsx';
import { useLaunchForm } from './useLaunchForm.ts';

export default function LaunchPage() {
  const { can } = useSession();
  if (!can('instances:create')) {
    return (
      <>
        <PageHeader eyebrow="Compute" title="Launch instance" />
        <Alert title="Your role cannot launch instances">Ask an admin for the Operator role.</Alert>
      </>
    );
  }
  return <LaunchWizard />;
}

function LaunchWizard() {
  const f = useLaunchForm();
  const [creatingKey, setCreatingKey] = useState(false);
  return (
    <>
      <Link
        to="/compute/instances"
        className="mb-2 inline-flex items-center gap-1 text-sm text-muted hover:text-fg"
      >
        <ChevronLeftIcon /> Instances
      </Link>
      <PageHeader
        eyebrow="Compute"
        title="Launch instance"
        description="Pick an image and a size; ProxiCloud creates the guest on Proxmox, injects your SSH keys and starts it."
      />
      <form
        noValidate
        className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]"
        onSubmit={(e) => {
          e.preventDefault();
          void f.launch();
        }}
      >
        <div className="flex min-w-0 flex-col gap-6">
          <NameStep f={f} />
          <ImageStep f={f} />
          <SizeStep f={f} />
          <PlacementStep f={f} />
          <KeysStep f={f} onCreateKey={() => setCreatingKey(true)} />
          <NetworksStep f={f} />
          <AdvancedStep f={f} />
        </div>
        <ReviewPanel f={f} />
      </form>
      <CreateKeyPairDialog
        open={creatingKey}
        onClose={() => setCreatingKey(false)}
        onCreated={(k) => f.setKeys((ks) => [...ks, k.id])}
      />
    </>
  );
}
