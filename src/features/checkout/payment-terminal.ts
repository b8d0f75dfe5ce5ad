// The payment-terminal adapter lives in state/ so returns can refund through it too [RE5]; the till
// keeps importing it from here.
export * from '@/state/payment-terminal';
