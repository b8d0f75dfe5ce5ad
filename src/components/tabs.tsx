// Tabs: a row of buttons with role="tab", one selected; the panel below is the caller's.
export interface TabsProps<K extends string> {
  label: string;
  tabs: readonly { id: K; label: string }[];
  value: K;
  onChange: (id: K) => void;
}

export function Tabs<K extends string>({ label, tabs, value, onChange }: TabsProps<K>) {
  return (
    <div role="tablist" aria-label={label} className="tabs">
      {tabs.map((tab) => (
        <button key={tab.id} type="button" role="tab" aria-selected={tab.id === value} onClick={() => onChange(tab.id)}>
          {tab.label}
        </button>
      ))}
    </div>
  );
}
