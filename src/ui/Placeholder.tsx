export function Placeholder({ title, text, coming }: { title: string; text: string; coming: string }) {
  return (
    <section>
      <h1>{title}</h1>
      <p class="notice">
        <strong>{coming}.</strong> {text}
      </p>
    </section>
  );
}
