/** Never a blank screen: a render error shows its message and a way back. */
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  readonly children: ReactNode;
  /** Where the error happened, for the message ("the viewer"). */
  readonly area: string;
}

export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`Calciquant: ${this.props.area} failed`, error, info.componentStack);
  }

  override render() {
    const e = this.state.error;
    if (!e) return this.props.children;
    const userMessage = (e as { userMessage?: string }).userMessage;
    return (
      <div className="crash" role="alert">
        <h2>Something went wrong in {this.props.area}</h2>
        <p>{userMessage ?? e.message}</p>
        <p className="hint">Your images and results are safe. If this happens again, please report it with what you did just before.</p>
        <button type="button" className="btn primary" onClick={() => this.setState({ error: null })}>
          Back to the app
        </button>
      </div>
    );
  }
}
